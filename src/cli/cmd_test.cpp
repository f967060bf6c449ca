// `redress test FILES...`: policy tests for CI. Exit 1 on any failing expectation, 2 on bad input.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "redress/error.hpp"
#include "terminal.hpp"
#include "tools/policy_test.hpp"

namespace redress::cli {

namespace {

struct test_options {
  std::vector<std::string> paths;
  std::string junit;
};

std::vector<std::string> test_files(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::recursive_directory_iterator(p, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".toml") found.push_back(entry.path().string());
      std::sort(found.begin(), found.end());
      if (found.empty()) throw error("no test files (*.toml) in directory \"" + p + "\"");
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(p);
    }
  }
  return out;
}

int run_tests(const test_options& o) {
  std::vector<tools::test_file_result> results;
  std::size_t passed = 0, failed = 0;
  for (const std::string& file : test_files(o.paths)) {
    tools::test_file_result r = tools::run_policy_test(file);
    for (const tools::expectation_result& e : r.results) {
      if (e.passed) {
        ++passed;
        continue;
      }
      ++failed;
      std::cout << red("FAIL") << " " << e.where.to_string() << ": " << e.name << "\n"
                << "  expected: " << e.expected << "\n"
                << "  actual:   " << e.actual << "\n";
    }
    results.push_back(std::move(r));
  }
  if (!o.junit.empty()) {
    std::ofstream out(o.junit);
    if (!out) throw error("cannot write JUnit report \"" + o.junit + "\"");
    out << tools::junit_xml(results);
  }
  std::cout << passed << " passed, " << failed << " failed" << (failed ? "" : "") << "\n";
  return failed ? exit_findings : exit_ok;
}

}  // namespace

void add_test_command(CLI::App& app, int& exit_status) {
  auto o = std::make_shared<test_options>();
  CLI::App* command = app.add_subcommand("test", "Run policy tests: expected due instants, escalations, breaches and owners");
  command->add_option("files", o->paths, "Test files (TOML) or directories of them")->required();
  command->add_option("--junit", o->junit, "Write a JUnit XML report to FILE");
  command->footer(
      "Exit status: 0 all passed, 1 an expectation failed, 2 a file that cannot be loaded.\n\n"
      "Example:\n  redress test rules/tests/ --junit report.xml");
  command->callback([o, &exit_status] { exit_status = run_tests(*o); });
}

}  // namespace redress::cli
