# tools/tmx.cmake: the TMX reader benchmark (see tools/bench-import.sh):
# reads a file through px_tmx_read() without storing anything, so the
# import's parse cost can be told apart from the store's.  Not a test.
add_executable(bench_tmx_read EXCLUDE_FROM_ALL ${CMAKE_SOURCE_DIR}/tools/bench_tmx_read.c)
target_include_directories(bench_tmx_read PRIVATE ${CMAKE_BINARY_DIR}/include)
target_link_libraries(bench_tmx_read PRIVATE parallax_static)
