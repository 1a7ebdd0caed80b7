# postvet_embed_files(OUT_VAR FILES): generates one .cpp that defines an array of
# {relative path, contents} for FILES, so data files ship inside the binary.
# Lookup is through src/base/embedded.hpp.
function(postvet_embed_files out_var files)
  set(gen ${CMAKE_BINARY_DIR}/generated/embedded_data.cpp)
  add_custom_command(
    OUTPUT ${gen}
    COMMAND ${CMAKE_COMMAND} -DOUT=${gen} -DROOT=${CMAKE_SOURCE_DIR}
            "-DFILES=${files}" -P ${CMAKE_SOURCE_DIR}/cmake/EmbedScript.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/EmbedScript.cmake
    COMMENT "Embedding data files"
    VERBATIM)
  set(${out_var} ${gen} PARENT_SCOPE)
endfunction()
