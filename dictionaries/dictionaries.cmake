# dictionaries.cmake: data compiled from dictionaries/ at build time (never
# committed).  Included by the top CMakeLists.txt after the targets exist.
#
# names: dictionaries/names/names.tsv (the names lexicon, the single source
# of truth) -> <build>/dictionaries/names/names.{aff,dic}, a Hunspell pair
# compiled by `parallax names compile`.  The library looks there first
# (PX_NAMES_BUILD_DIR), then in the installed data directory.
set(PX_NAMES_LEXICON ${CMAKE_SOURCE_DIR}/dictionaries/names/names.tsv)
set(PX_NAMES_BUILD_DIR ${CMAKE_BINARY_DIR}/dictionaries/names)
file(MAKE_DIRECTORY ${PX_NAMES_BUILD_DIR})
target_compile_definitions(px_objects PRIVATE
  PX_NAMES_BUILD_DIR="${PX_NAMES_BUILD_DIR}")
add_custom_command(
  OUTPUT ${PX_NAMES_BUILD_DIR}/names.aff ${PX_NAMES_BUILD_DIR}/names.dic
  COMMAND parallax_cli names compile --lexicon ${PX_NAMES_LEXICON}
          -o ${PX_NAMES_BUILD_DIR}
  DEPENDS parallax_cli ${PX_NAMES_LEXICON}
  COMMENT "Compiling the names lexicon into a Hunspell dictionary"
  VERBATIM)
add_custom_target(names_dictionary ALL
  DEPENDS ${PX_NAMES_BUILD_DIR}/names.aff ${PX_NAMES_BUILD_DIR}/names.dic)
install(FILES ${PX_NAMES_BUILD_DIR}/names.aff ${PX_NAMES_BUILD_DIR}/names.dic
  DESTINATION ${CMAKE_INSTALL_DATADIR}/parallax/names)
