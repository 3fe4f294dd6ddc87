# tools/tm.cmake: the translation-memory lookup benchmark program (see
# tools/bench-lookup.sh).  Built with the project, never run as a test.
add_executable(bench_lookup ${CMAKE_SOURCE_DIR}/tools/bench_lookup.c)
target_include_directories(bench_lookup PRIVATE ${CMAKE_BINARY_DIR}/include)
target_link_libraries(bench_lookup PRIVATE parallax_static)
