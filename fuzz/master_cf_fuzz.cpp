// Fuzz target: master.cf grammar and model. Properties: no crash, CST
// contract and byte-exact round trip (fuzz_util.hpp).
#include "fuzz/fuzz_util.hpp"
#include "grammar/cst_builder.hpp"
#include "src/model/master_cf.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace postvet;
  Source source = fuzz::MakeSource(data, size, "master.cf");
  Cst cst = ParseMasterCf(source);
  fuzz::CheckCst(cst, source.text());
  MasterCf model = BuildMasterCf(cst);
  (void)model;
  return 0;
}
