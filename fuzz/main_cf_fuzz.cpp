// Fuzz target: main.cf grammar and model. Properties: no crash, CST contract
// and byte-exact round trip (fuzz_util.hpp), and the model's byte ranges lie
// inside the file.
#include "fuzz/fuzz_util.hpp"
#include "grammar/cst_builder.hpp"
#include "src/model/main_cf.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace postvet;
  Source source = fuzz::MakeSource(data, size, "main.cf");
  Cst cst = ParseMainCf(source);
  fuzz::CheckCst(cst, source.text());
  MainCf model = MainCf::Build(cst);
  for (const MainCfDefinition& d : model.definitions()) {
    fuzz::Require(d.name_begin <= d.name_end && d.name_end <= size);
    fuzz::Require(d.value_begin <= d.value_end && d.value_end <= size);
    fuzz::Require(model.Find(d.name) != nullptr);
  }
  for (const MainCfBadLine& b : model.bad_lines()) fuzz::Require(b.begin <= b.end && b.end <= size);
  (void)model.EffectiveInOrder();
  return 0;
}
