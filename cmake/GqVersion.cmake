# Stamps the tool version and git revision into harness/version.cc.
execute_process(COMMAND git rev-parse --short=12 HEAD
                WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
                OUTPUT_VARIABLE GQ_GIT_REVISION OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET RESULT_VARIABLE gq_git_rc)
if(NOT gq_git_rc EQUAL 0 OR GQ_GIT_REVISION STREQUAL "")
  set(GQ_GIT_REVISION "unknown")
endif()
