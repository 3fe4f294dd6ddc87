# tools/lexicon.cmake: the lexicon loading benchmark and entry dump (see
# tools/bench_lexicon.c).  Not a test:
#   cmake --build build --target bench_lexicon &&
#   nice build/bench_lexicon tr en ../shared/eval/quran-early-tr/src.txt
add_executable(bench_lexicon EXCLUDE_FROM_ALL ${CMAKE_SOURCE_DIR}/tools/bench_lexicon.c)
target_include_directories(bench_lexicon PRIVATE ${CMAKE_BINARY_DIR}/include)
target_link_libraries(bench_lexicon PRIVATE parallax_static)
