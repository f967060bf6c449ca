// `redress test FILES...`: policy tests for CI. Exit 1 on any failing expectation, 2 on bad input.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "input.hpp"
#include "output.hpp"
#include "redress/error.hpp"
#include "terminal.hpp"
#include "tools/policy_test.hpp"
#include "wire/json.hpp"

namespace redress::cli {

namespace {

struct test_options {
  std::vector<std::string> paths;
  std::string junit;
  bool update = false;
  bool json = false;
};

// The run as JSON (docs/cli.md): a file that did not load carries its error in the wire
// format's form (docs/wire-format.md, "Error").
wire::json json_of(const std::vector<tools::test_file_result>& results, const std::vector<std::string>& load_messages,
                   bool update, std::size_t passed, std::size_t failed, std::size_t updated, std::size_t errored) {
  wire::json files = wire::json::array();
  for (std::size_t i = 0; i < results.size(); ++i) {
    const tools::test_file_result& f = results[i];
    wire::json expectations = wire::json::array();
    for (const tools::expectation_result& e : f.results) {
      const char* outcome = e.passed ? "passed" : update && !e.update.empty() ? "updated" : "failed";
      expectations.push_back({{"name", e.name},
                              {"line", e.where.line},
                              {"column", e.where.column},
                              {"outcome", outcome},
                              {"expected", e.expected},
                              {"actual", e.actual}});
    }
    wire::json file = {{"file", f.file}, {"name", f.name}, {"expectations", std::move(expectations)}};
    if (!f.load_error.empty()) file["error"] = wire::error_value("load_error", load_messages[i], f.load_location);
    files.push_back(std::move(file));
  }
  return {{"files", std::move(files)},
          {"passed", passed},
          {"failed", failed},
          {"updated", updated},
          {"errored", errored}};
}

// The test files named, and those under the directories named (symbolic links to directories are
// not followed; a link that loops or leads nowhere is refused, naming it).
std::vector<std::string> test_files(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  const auto refuse = [](const fs::path& p, const std::error_code& ec) {
    if (ec == std::errc::too_many_symbolic_link_levels)
      throw error("\"" + p.string() + "\" is a symbolic link that loops (" + ec.message() + ")");
    throw error("cannot read \"" + p.string() + "\": " + ec.message());
  };
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    if (p == "-") {  // standard input, run as a file named <stdin>
      out.push_back(p);
      continue;
    }
    std::error_code ec;
    const bool directory = fs::is_directory(p, ec);
    if (ec && ec != std::errc::no_such_file_or_directory) refuse(p, ec);
    if (!directory) {
      out.push_back(p);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(p, ec), end;
    if (ec) refuse(p, ec);
    for (; it != end; it.increment(ec)) {
      if (ec) refuse(p, ec);
      const fs::directory_entry& entry = *it;
      if (entry.path().extension() != ".toml") continue;
      const bool regular = entry.is_regular_file(ec);
      if (ec) refuse(entry.path(), ec);
      if (regular) found.push_back(entry.path().string());
    }
    if (ec) refuse(p, ec);
    std::sort(found.begin(), found.end());
    if (found.empty()) throw error("no test files (*.toml) in directory \"" + p + "\"");
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

int run_tests(const test_options& o) {
  require_standard_input_once(o.paths);
  if (o.update && std::find(o.paths.begin(), o.paths.end(), "-") != o.paths.end())
    throw error("--update writes the expectations back into their file: it cannot with standard input (\"-\")");
  std::vector<tools::test_file_result> results;
  std::vector<std::string> load_messages;  // per file: the load error without its location, or ""
  std::size_t passed = 0, failed = 0, errored = 0, updated = 0;
  for (const std::string& path : test_files(o.paths)) {
    // A file that does not load is reported (stderr, and as an errored testcase in JUnit) and the
    // others still run; the run then exits 2.
    const std::string file = path == "-" ? standard_input_name : path;
    tools::test_file_result r;
    std::string text;
    const auto started = std::chrono::steady_clock::now();
    try {
      text = path == "-" ? read_standard_input("the test file") : tools::read_test_file(path);
      r = tools::run_policy_test(text, file);
    } catch (const error& e) {
      ++errored;
      std::cerr << "redress: " << e.what() << "\n";
      r.file = file;
      r.name = std::filesystem::path(file).stem().string();
      r.load_error = e.what();
      r.load_location = e.where();
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      results.push_back(std::move(r));
      load_messages.push_back(e.message());
      continue;
    }
    std::size_t file_updates = 0;
    for (const tools::expectation_result& e : r.results) {
      if (e.passed) {
        ++passed;
        continue;
      }
      if (o.update && !e.update.empty()) {
        ++file_updates;
        if (!o.json)
          std::cout << "UPDATE " << e.where.to_string() << ": " << e.name << "\n"
                    << "  was: " << e.expected << "\n"
                    << "  now: " << e.actual << "\n";
        continue;
      }
      ++failed;
      if (!o.json)
        std::cout << red("FAIL") << " " << e.where.to_string() << ": " << e.name << "\n"
                  << "  expected: " << e.expected << "\n"
                  << "  actual:   " << e.actual << "\n"
                  << (o.update ? "  (not updated: the actual value is not one an expectation can state)\n" : "");
    }
    if (file_updates) {
      replace_file(path, tools::update_expectations(text, r));
      updated += file_updates;
    }
    results.push_back(std::move(r));
    load_messages.emplace_back();
  }
  if (!o.junit.empty()) write_file(o.junit, tools::junit_xml(results));
  if (o.json) {
    std::cout << json_of(results, load_messages, o.update, passed, failed, updated, errored).dump(2) << "\n";
    return errored ? exit_bad_input : failed ? exit_findings : exit_ok;
  }
  // "N passed, N failed" stays the start of the line CI runners parse.
  std::cout << passed << " passed, " << failed << " failed"
            << (updated ? ", " + std::to_string(updated) + " updated" : std::string())
            << (errored ? ", " + std::to_string(errored) + " errored" : std::string()) << "\n";
  return errored ? exit_bad_input : failed ? exit_findings : exit_ok;
}

}  // namespace

void add_test_command(CLI::App& app, int& exit_status) {
  auto o = std::make_shared<test_options>();
  CLI::App* command = app.add_subcommand("test", "Run policy tests: expected due instants, escalations, breaches and owners");
  command->add_option("files", o->paths, "Test files (TOML) or directories of them; - reads one from standard input")
      ->required();
  command->add_option("--junit", o->junit, "Write a JUnit XML report to FILE")->check(file_name);
  command->add_flag("--json", o->json, "Print the results as JSON (docs/cli.md) instead of lines");
  command->add_flag("--update", o->update,
                    "Write the actual values into each failed expectation, in place in its file (comments and layout "
                    "kept); the file is replaced atomically");
  command->footer(
      "Exit status: 0 all passed, 1 an expectation failed, 2 a file that cannot be loaded (the\n"
      "other files still run; it is an errored testcase in the JUnit report). With --update, an\n"
      "expectation rewritten with its actual value counts as updated, not failed.\n\n"
      "Example:\n  redress test rules/tests/ --junit report.xml");
  command->callback([o, &exit_status] { exit_status = run_tests(*o); });
}

}  // namespace redress::cli
