# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS) for the Debian package:
# Debian's zsh looks for packaged completions in /usr/share/zsh/vendor-completions,
# not in the site-functions directory `cmake --install` uses for other prefixes.
file(GLOB_RECURSE found "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/_postvet")
list(FILTER found INCLUDE REGEX "/share/zsh/site-functions/_postvet$")
foreach(f IN LISTS found)
  get_filename_component(site "${f}" DIRECTORY)
  get_filename_component(zsh "${site}" DIRECTORY)
  file(MAKE_DIRECTORY "${zsh}/vendor-completions")
  file(RENAME "${f}" "${zsh}/vendor-completions/_postvet")
  file(GLOB left "${site}/*")
  if(NOT left)
    file(REMOVE_RECURSE "${site}")
  endif()
endforeach()
