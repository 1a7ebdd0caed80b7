# Static linking of the libraries Debian ships as archives (issue 20).
#
# A small check spends about a tenth of its instructions in the dynamic
# loader: mapping each shared object and resolving several thousand symbols.
# Debian's -dev packages ship libcares.a, libpcre2-8.a, libz.a, liblzma.a,
# libzstd.a and libyaml.a, and GCC
# ships libstdc++.a and libgcc.a; libfmt-dev (9.1) has no archive, so fmt's
# compiled part (format.cc upstream) is built from its installed headers
# (cmake/fmt_static.cpp). What stays shared: the C library (libc, libm and
# the loader), which NSS and locales need and which is present everywhere.
#
# Sets, for CMakeLists.txt:
#   POSTVET_CARES_LIB, POSTVET_PCRE2_LIB, POSTVET_ZLIB_LIB, POSTVET_LZMA_LIB,
#   POSTVET_ZSTD_LIB, POSTVET_YAML_LIB, POSTVET_FMT_LIB
#     the targets to link (static when possible, else the shared ones);
#   and adds -static-libstdc++ -static-libgcc to every link, except in the
#   sanitizer and fuzzer builds (their runtimes expect the shared C++ library).
#
# The compile flags are the same either way: each static target carries the
# include directories and definitions of the shared one. (fmt's FMT_SHARED
# only sets default symbol visibility on ELF, which an executable ignores.)
option(POSTVET_STATIC_LIBS
  "Link c-ares, PCRE2, zlib, xz, zstd, libyaml, fmt and the C++ runtime statically where Debian ships archives" ON)

# postvet_static_archive(OUT SHARED_TARGET ARCHIVE_NAME): OUT is set to an
# imported static library for ARCHIVE_NAME (libfoo.a) with SHARED_TARGET's
# usage requirements, or to SHARED_TARGET when static linking is off or the
# archive is missing.
function(postvet_static_archive out shared archive)
  set(${out} ${shared} PARENT_SCOPE)
  if(NOT POSTVET_STATIC_LIBS)
    return()
  endif()
  string(MAKE_C_IDENTIFIER "${archive}" id)
  find_library(POSTVET_ARCHIVE_${id} NAMES ${archive})
  if(NOT POSTVET_ARCHIVE_${id})
    message(STATUS "postvet: no ${archive}, linking ${shared} as a shared library")
    return()
  endif()
  set(target postvet_static_${id})
  if(NOT TARGET ${target})
    add_library(${target} STATIC IMPORTED)
    set_target_properties(${target} PROPERTIES IMPORTED_LOCATION ${POSTVET_ARCHIVE_${id}})
    foreach(prop INTERFACE_INCLUDE_DIRECTORIES INTERFACE_COMPILE_DEFINITIONS INTERFACE_COMPILE_OPTIONS)
      get_target_property(value ${shared} ${prop})
      if(value)
        set_property(TARGET ${target} PROPERTY ${prop} "${value}")
      endif()
    endforeach()
  endif()
  set(${out} ${target} PARENT_SCOPE)
endfunction()

postvet_static_archive(POSTVET_CARES_LIB PkgConfig::CARES libcares.a)
postvet_static_archive(POSTVET_PCRE2_LIB PkgConfig::PCRE2 libpcre2-8.a)
postvet_static_archive(POSTVET_ZLIB_LIB ZLIB::ZLIB libz.a)
postvet_static_archive(POSTVET_LZMA_LIB PkgConfig::LZMA liblzma.a)
postvet_static_archive(POSTVET_ZSTD_LIB PkgConfig::ZSTD libzstd.a)
postvet_static_archive(POSTVET_YAML_LIB PkgConfig::YAML libyaml.a)

set(POSTVET_FMT_LIB fmt::fmt)
if(POSTVET_STATIC_LIBS)
  add_library(postvet_fmt STATIC ${CMAKE_SOURCE_DIR}/cmake/fmt_static.cpp)
  foreach(prop INTERFACE_INCLUDE_DIRECTORIES INTERFACE_COMPILE_DEFINITIONS INTERFACE_COMPILE_OPTIONS)
    get_target_property(value fmt::fmt ${prop})
    if(value)
      set_property(TARGET postvet_fmt PROPERTY ${prop} "${value}")
      # The archive's own object sees the same headers and definitions.
      string(REPLACE "INTERFACE_" "" own ${prop})
      set_property(TARGET postvet_fmt PROPERTY ${own} "${value}")
    endif()
  endforeach()
  set(POSTVET_FMT_LIB postvet_fmt)
  if(NOT POSTVET_SANITIZE AND NOT POSTVET_FUZZ)
    add_link_options(-static-libstdc++ -static-libgcc)
  endif()
endif()
