# tools/segment.cmake: the segmentation benchmark program (see
# tools/bench-segment.sh).  Built with the project, never run as a test.
add_executable(bench_segment ${CMAKE_SOURCE_DIR}/tools/bench_segment.c)
target_include_directories(bench_segment PRIVATE ${CMAKE_BINARY_DIR}/include)
target_link_libraries(bench_segment PRIVATE parallax_static)
