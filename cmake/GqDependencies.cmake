# Finds the third-party libraries; scripts/install-deps.sh installs every one of them on Debian.
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)
# The results history (harness/record/history_store.h): Debian's libsqlite3-dev.
find_package(SQLite3 REQUIRED)
set(BLA_VENDOR OpenBLAS)
find_package(BLAS REQUIRED)
find_path(GQ_CBLAS_INCLUDE_DIR cblas.h PATH_SUFFIXES openblas openblas-pthread REQUIRED)
find_package(benchmark QUIET)
if(GQ_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
