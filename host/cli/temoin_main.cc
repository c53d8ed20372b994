// `temoin`: the command line over the worker's record. See `temoin --help`.
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "platform/clock.h"
#include "platform/environment.h"
#include "store/database.h"

int main(int argc, char** argv) {
  temoin::store::ConfigureSqliteForThisProcess();
  temoin::ProcessEnvironment env;
  temoin::SystemClock clock;
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  temoin::cli::CliContext ctx{env, clock, std::cout, std::cerr, ec ? std::filesystem::path(".") : self.parent_path()};
  return temoin::cli::RunCli(argc, argv, ctx);
}
