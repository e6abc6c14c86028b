# `cmake --install BUILD [--prefix P]`: the binaries and the data an installed gpuqual finds by
# itself (harness/data_dirs.h looks in <exe>/../share/gpuqual/NAME, so the layout is fixed):
#   P/bin/gpuqual, P/bin/gpuqual_microbench
#   P/share/gpuqual/suites/*.json
#   P/share/gpuqual/baselines/ (SKU baselines and instances.json, the instance catalog)
#   P/share/gpuqual/reports/gpuqual_reports/ (the report package `gpuqual report` runs)
#   P/share/gpuqual/schemas/*.schema.json (the file schemas the report validates its inputs with)
#   P/share/man/man1/gpuqual.1 (made at build time by help2man, when it is installed)
set(GQ_INSTALL_DATA share/gpuqual)

# The installed binaries keep the build's run path to libraries outside the system's own
# directories (CUDA's lib, OpenMPI's), as the build tree's do, so they start wherever ld.so.conf
# does not list those.
install(TARGETS gpuqual RUNTIME DESTINATION bin)
set_target_properties(gpuqual PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)
if(TARGET gpuqual_microbench)
  install(TARGETS gpuqual_microbench RUNTIME DESTINATION bin)
  set_target_properties(gpuqual_microbench PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/suites/ DESTINATION ${GQ_INSTALL_DATA}/suites
        FILES_MATCHING PATTERN "*.json")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/baselines/ DESTINATION ${GQ_INSTALL_DATA}/baselines
        FILES_MATCHING PATTERN "*.json" PATTERN "*.md")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/reports/gpuqual_reports DESTINATION ${GQ_INSTALL_DATA}/reports
        FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/schemas/ DESTINATION ${GQ_INSTALL_DATA}/schemas
        FILES_MATCHING PATTERN "*.schema.json")

# The man page: help2man over `gpuqual --help` and `--version`, with every command's own help
# (cmake/GqManPage.cmake). Debian package help2man; without it the build says so and goes on.
find_program(GQ_HELP2MAN help2man)
if(GQ_HELP2MAN)
  set(GQ_MAN_PAGE ${PROJECT_BINARY_DIR}/man/gpuqual.1)
  add_custom_command(
    OUTPUT ${GQ_MAN_PAGE}
    COMMAND ${CMAKE_COMMAND} -DGPUQUAL=$<TARGET_FILE:gpuqual> -DHELP2MAN=${GQ_HELP2MAN}
            -DOUT=${GQ_MAN_PAGE} -P ${PROJECT_SOURCE_DIR}/cmake/GqManPage.cmake
    DEPENDS gpuqual ${PROJECT_SOURCE_DIR}/cmake/GqManPage.cmake
    COMMENT "Man page gpuqual.1 (help2man)")
  add_custom_target(gq_man_page ALL DEPENDS ${GQ_MAN_PAGE})
  install(FILES ${GQ_MAN_PAGE} DESTINATION share/man/man1)
else()
  message(STATUS "gpuqual: help2man not found: no man page (apt-get install help2man)")
endif()
