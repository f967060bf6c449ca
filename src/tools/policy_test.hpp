// Policy tests for CI: a test file names a policy and a scenario and states expectations about
// due instants, escalations, breaches and owners (rules/README.md, "Policy tests").
#ifndef REDRESS_SRC_TOOLS_POLICY_TEST_HPP
#define REDRESS_SRC_TOOLS_POLICY_TEST_HPP

#include <string>
#include <vector>

#include "redress/error.hpp"

namespace redress::tools {

struct expectation_result {
  std::string name;       // "C-17 final-response due"
  bool passed = false;
  std::string expected;
  std::string actual;
  source_location where;
};

struct test_file_result {
  std::string file;
  std::string name;
  std::vector<expectation_result> results;
  double seconds = 0;
  std::string load_error;  // a file that did not load: its located error ("file:line:col: ..."); else ""
};

/// Runs one test file. Throws: redress::error for a file that cannot be read or is malformed
/// (and for its policy and scenario).
test_file_result run_policy_test(const std::string& path);

/// JUnit XML for CI dashboards: a testsuite per file, a testcase per expectation; a file that did
/// not load (`load_error`) is one testcase with an <error> carrying its located message.
std::string junit_xml(const std::vector<test_file_result>& results);

}  // namespace redress::tools

#endif
