// Policy tests for CI: a test file names a policy and a scenario and states expectations about
// due instants, escalations, breaches and owners (rules/README.md, "Policy tests").
#ifndef REDRESS_SRC_TOOLS_POLICY_TEST_HPP
#define REDRESS_SRC_TOOLS_POLICY_TEST_HPP

#include <string>
#include <string_view>
#include <vector>

#include "redress/error.hpp"

namespace redress::tools {

/// A value of the test file to replace, at its toml++ source region (lines and columns from 1,
/// columns counting code points; `end` is one past the value's last character).
struct value_edit {
  int begin_line = 0, begin_column = 0;
  int end_line = 0, end_column = 0;
  std::string text;  // the TOML written there: "\"2026-04-22T17:00:00+01:00\"", "[\"a\", \"b\"]", "3"
};

struct expectation_result {
  std::string name;       // "C-17 final-response due"
  bool passed = false;
  std::string expected;
  std::string actual;
  source_location where;
  /// For a failed expectation: the values that, written in place, make it pass (`--update`);
  /// empty when the actual value cannot be written as an expectation ("no such clock").
  std::vector<value_edit> update;
};

struct test_file_result {
  std::string file;
  std::string name;
  std::vector<expectation_result> results;
  double seconds = 0;
  std::string load_error;  // a file that did not load: its located error ("file:line:col: ..."); else ""
  source_location load_location;  // where that error is
};

/// Runs one test file. Throws: redress::error for a file that cannot be read or is malformed
/// (and for its policy and scenario).
test_file_result run_policy_test(const std::string& path);
/// The same, from the text of a test file; `file_name` names it in messages and resolves the
/// policy and scenario paths (relative to the working directory for "<stdin>").
test_file_result run_policy_test(std::string_view text, const std::string& file_name);
/// Reads a test file as run_policy_test does (a regular file people write, at most 16 MiB).
std::string read_test_file(const std::string& path);

/// Returns: `text` with every failed expectation's `update` written in place of the value it
/// replaces; everything else (comments, layout, the values that passed) is left as it was.
/// `text` must be the text `result` was run from.
std::string update_expectations(std::string_view text, const test_file_result& result);

/// JUnit XML for CI dashboards: a testsuite per file, a testcase per expectation; a file that did
/// not load (`load_error`) is one testcase with an <error> carrying its located message.
std::string junit_xml(const std::vector<test_file_result>& results);

}  // namespace redress::tools

#endif
