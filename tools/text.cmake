# tools/text.cmake: the text module's benchmark (not a test).
#   cmake --build build --target bench_text && nice build/bench_text [FILE...]
add_executable(bench_text EXCLUDE_FROM_ALL ${CMAKE_SOURCE_DIR}/tools/bench_text.c)
target_include_directories(bench_text PRIVATE ${CMAKE_BINARY_DIR}/include)
target_compile_definitions(bench_text PRIVATE PX_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
target_link_libraries(bench_text PRIVATE parallax_static)
