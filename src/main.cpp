// postvet entry point: hands the command line to the CLI layer.
#include "src/cli/cli.hpp"

int main(int argc, char** argv) { return postvet::RunCli(argc, argv); }
