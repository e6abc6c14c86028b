# cmake -DGPUQUAL=<binary> -DHELP2MAN=<help2man> -DOUT=<gpuqual.1> -P GqManPage.cmake
# Writes the man page: help2man over `gpuqual --help` and `--version`, plus a COMMANDS section
# with every command's own --help (options and examples) and an ENVIRONMENT note.
get_filename_component(dir ${OUT} DIRECTORY)
file(MAKE_DIRECTORY ${dir})
set(include ${dir}/gpuqual.h2m)
file(WRITE ${include} "[COMMANDS]\n")
foreach(command info list run baseline compare qualify report)
  execute_process(COMMAND ${GPUQUAL} ${command} --help OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${GPUQUAL} ${command} --help failed (${rc})")
  endif()
  # roff: a leading dot or quote would start a request; backslashes escape.
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  file(APPEND ${include} ".SS \"gpuqual ${command}\"\n.nf\n${text}.fi\n")
endforeach()
file(APPEND ${include} "[SEE ALSO]\nREADME.md in the gpuqual sources: the results file, baselines, compare, qualify, reports.\n")
execute_process(
  COMMAND ${HELP2MAN} --no-info --no-discard-stderr --section=1
          "--name=benchmark and qualify GPU machines" --include=${include} --output=${OUT} ${GPUQUAL}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed (${rc})")
endif()
