#include "tools/policy_test.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>
#include <set>
#include <sstream>

#include "files/toml_reader.hpp"
#include "policy/policy_rules.hpp"
#include "redress/policy.hpp"
#include "tools/markup.hpp"
#include "tools/scenario.hpp"
#include "tools/simulate.hpp"

namespace redress::tools {

namespace {

namespace fs = std::filesystem;
using detail::fail_at;
using detail::require_string;

std::string relative_to(const std::string& file, const std::string& path) {
  const fs::path p(path);
  if (p.is_absolute()) return path;
  return (fs::path(file).parent_path() / p).lexically_normal().string();
}

// A cycle or level number: 1 or more, and within an int (4294967297 must not wrap to 1).
int counted_from_one(const toml::node& node, const std::string& what) {
  const std::int64_t n = detail::require_integer(node, what);
  if (n < 1 || n > std::numeric_limits<int>::max())
    detail::fail_at(node, what + " must be from 1 to " + std::to_string(std::numeric_limits<int>::max()) +
                              ", not " + std::to_string(n));
  return static_cast<int>(n);
}

const clock_report* find_clock(const complaint_status& s, const std::string& target, int cycle) {
  const clock_report* last = nullptr;
  for (const clock_report& c : s.clocks) {
    if (c.target != target) continue;
    if (cycle > 0 && c.cycle == cycle) return &c;
    last = &c;
  }
  return cycle > 0 ? nullptr : last;
}

std::string list(const std::vector<std::string>& items) {
  if (items.empty()) return "none";
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// The expectation's target must be one of the policy's clocks: its targets, "promise", and
// "corrective-action" when it has corrective actions (the engine's names for those clocks): "no target 'final-responce'
// in policy ...; did you mean 'final-response'?" at the name.
void require_target(const policy& p, const toml::node& node, const std::string& name) {
  std::vector<std::string> names;
  for (const target_definition& t : p->targets)
    if (std::find(names.begin(), names.end(), t.name) == names.end()) names.push_back(t.name);
  names.emplace_back(detail::promise_clock_name);
  if (!p->corrective_actions.empty()) names.emplace_back(detail::corrective_action_clock_name);
  if (std::find(names.begin(), names.end(), name) != names.end()) return;
  std::string message = "no target '" + name + "' in policy \"" + p->name + "\"";
  const std::string near = detail::closest_match(name, names);
  fail_at(node, message + (near.empty() ? "; its targets: " + list(names) : "; did you mean '" + near + "'?"));
}

// A clock state as the engine names them (to_string(clock_state)).
const std::string& require_clock_state(const toml::node& node) {
  const std::string& name = require_string(node, "'state'");
  std::vector<std::string> names;
  for (clock_state s : {clock_state::running, clock_state::paused, clock_state::met, clock_state::breached,
                        clock_state::cancelled})
    names.emplace_back(to_string(s));
  if (std::find(names.begin(), names.end(), name) != names.end()) return name;
  const std::string near = detail::closest_match(name, names);
  fail_at(node, "no clock state '" + name + "'" +
                    (near.empty() ? "; expected one of: " + list(names) : "; did you mean '" + near + "'?"));
}

// A value as TOML writes it, for --update: a basic string in double quotes (the shipped tests'
// style), escaped by toml++.
std::string toml_string(const std::string& text) {
  std::ostringstream out;
  out << toml::toml_formatter{toml::value<std::string>(text), toml::format_flags::allow_unicode_strings};
  return out.str();
}

std::string toml_strings(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const std::string& i : items) out += (out.size() > 1 ? ", " : "") + toml_string(i);
  return out + "]";
}

value_edit edit_at(const toml::node& node, std::string text) {
  const toml::source_region& r = node.source();
  return value_edit{static_cast<int>(r.begin.line), static_cast<int>(r.begin.column), static_cast<int>(r.end.line),
                    static_cast<int>(r.end.column), std::move(text)};
}

}  // namespace

std::string read_test_file(const std::string& path) { return detail::read_text_file(path, "file"); }

test_file_result run_policy_test(const std::string& path) { return run_policy_test(read_test_file(path), path); }

test_file_result run_policy_test(std::string_view file_text, const std::string& path) {
  const auto started = std::chrono::steady_clock::now();
  const toml::table doc = detail::parse_toml(file_text, path);
  detail::check_keys(doc, {"test", "expect"}, "a test file");
  const toml::node* header = doc.get("test");
  if (!header) throw error("a test file needs a [test] table naming its policy and scenario", source_location{path, 1, 1});
  const toml::table& t = detail::require_table(*header, "[test]");
  detail::check_keys(t, {"name", "policy", "scenario"}, "[test]");
  test_file_result out;
  out.file = path;
  out.name = fs::path(path).stem().string();
  if (const toml::node* n = t.get("name")) out.name = require_string(*n, "'name'");
  const toml::node* policy_node = t.get("policy");
  const toml::node* scenario_node = t.get("scenario");
  if (!policy_node || !scenario_node) fail_at(t, "[test] needs 'policy' and 'scenario' (paths relative to this file)");
  // A file that cannot be read is reported where the test names it.
  auto located = [](const toml::node& node, auto&& load) {
    try {
      return load();
    } catch (const error& e) {
      if (e.where().line == 0) fail_at(node, e.message());
      throw;
    }
  };
  const policy p = located(*policy_node, [&] {
    return load_policy(relative_to(path, require_string(*policy_node, "'policy'")));
  });
  const business_calendar& calendar = p.calendar(p->default_calendar);
  const scenario s = located(*scenario_node, [&] {
    return load_scenario(relative_to(path, require_string(*scenario_node, "'scenario'")), calendar.zone());
  });
  const simulation sim = simulate(p, s);

  const toml::node* expects = doc.get("expect");
  if (!expects) fail_at(doc, "a test file needs at least one [[expect]]");
  for (const toml::node& item : detail::require_array(*expects, "'expect' (write [[expect]])")) {
    const toml::table& e = detail::require_table(item, "each expectation (write [[expect]])");
    detail::check_keys(e, {"complaint", "target", "cycle", "due", "state", "level", "fires", "notifies", "assigns",
                           "breaches", "owner", "after", "rejected"},
                       "[[expect]]");
    expectation_result r;
    r.where = detail::location_of(item);
    const toml::node* complaint = e.get("complaint");
    if (!complaint) fail_at(item, "an expectation needs 'complaint'");
    const std::string id = require_string(*complaint, "'complaint'");
    const complaint_run* run = nullptr;
    for (const complaint_run& c : sim.complaints)
      if (c.id == id) run = &c;
    if (!run) fail_at(*complaint, "complaint " + id + " is not in the scenario");
    const time_zone& zone = run->zone;
    auto show = [&](const instant& i) { return format_rfc3339(i, zone); };
    auto read_time = [&](const toml::node& n, const char* what) {
      try {
        return parse_timestamp(require_string(n, what), zone);
      } catch (const error& err) {
        fail_at(n, err.message());
      }
    };
    std::string target;
    int cycle = 0;
    if (const toml::node* n = e.get("target")) {
      target = require_string(*n, "'target'");
      require_target(p, *n, target);
    }
    if (const toml::node* n = e.get("cycle")) cycle = counted_from_one(*n, "'cycle'");
    const std::string clock_name = target + (cycle > 0 ? " (cycle " + std::to_string(cycle) + ")" : "");
    const complaint_status& status = run->final_status;

    if (const toml::node* due = e.get("due")) {
      if (target.empty()) fail_at(item, "'due' needs a 'target'");
      r.name = id + " " + clock_name + " due";
      r.expected = show(read_time(*due, "'due'"));
      const clock_report* c = find_clock(status, target, cycle);
      r.actual = c ? show(c->due) : "no such clock";
      r.passed = r.expected == r.actual;
      if (!r.passed && c) r.update.push_back(edit_at(*due, toml_string(r.actual)));
    } else if (const toml::node* state = e.get("state")) {
      if (target.empty()) fail_at(item, "'state' needs a 'target'");
      r.name = id + " " + clock_name + " state";
      r.expected = require_clock_state(*state);
      const clock_report* c = find_clock(status, target, cycle);
      r.actual = c ? std::string(to_string(c->state)) : "no such clock";
      r.passed = r.expected == r.actual;
      if (!r.passed && c) r.update.push_back(edit_at(*state, toml_string(r.actual)));
    } else if (const toml::node* level = e.get("level")) {
      if (target.empty()) fail_at(item, "'level' needs a 'target'");
      const int number = counted_from_one(*level, "'level'");
      r.name = id + " " + clock_name + " level " + std::to_string(number);
      const action* fired = nullptr;
      for (const action& a : run->actions)
        if (a.target == target && a.level == number && (cycle == 0 || a.cycle == cycle) &&
            a.what == action::kind::escalation) {
          fired = &a;
          break;
        }
      std::string expected;
      std::string actual;
      // Each of fires, assigns and notifies is a part of the expectation; --update rewrites the
      // parts that differ.
      auto part = [&](const toml::node& node, const std::string& wanted, const std::string& got, std::string toml) {
        expected += (expected.empty() ? "" : ", ") + wanted;
        actual += (actual.empty() ? "" : ", ") + got;
        if (wanted != got) r.update.push_back(edit_at(node, std::move(toml)));
      };
      if (const toml::node* fires = e.get("fires")) {
        const std::string& text = require_string(*fires, "'fires'");
        part(*fires, text == "never" ? "never fires" : "fires at " + show(read_time(*fires, "'fires'")),
             fired ? "fires at " + show(fired->at) : "never fires", toml_string(fired ? show(fired->at) : "never"));
      }
      if (const toml::node* assigns = e.get("assigns")) {
        const std::string who = fired && !fired->assign.empty() ? fired->assign : std::string(detail::no_owner_name);
        part(*assigns, "assigns " + require_string(*assigns, "'assigns'"), "assigns " + who, toml_string(who));
      }
      if (const toml::node* notifies = e.get("notifies")) {
        std::vector<std::string> roles;
        if (notifies->is_array())
          for (const toml::node& n : *notifies->as_array()) roles.push_back(require_string(n, "each role"));
        else
          roles.push_back(require_string(*notifies, "'notifies'"));
        // Written as it was: a string stays a string where one role (or nobody) is notified.
        const std::string toml = !fired ? toml_string(std::string(detail::no_owner_name))
                                 : !notifies->is_array() && fired->notify.size() == 1 ? toml_string(fired->notify.front())
                                                                                       : toml_strings(fired->notify);
        part(*notifies, "notifies " + list(roles), "notifies " + (fired ? list(fired->notify) : std::string(detail::no_owner_name)), toml);
      }
      if (expected.empty()) fail_at(item, "a 'level' expectation needs 'fires', 'assigns' or 'notifies'");
      r.expected = expected;
      r.actual = actual;
      r.passed = expected == actual;
    } else if (const toml::node* breaches = e.get("breaches")) {
      std::set<std::string> wanted;
      if (breaches->is_string()) {
        const std::string& v = require_string(*breaches, "'breaches'");
        if (v != "none") {
          require_target(p, *breaches, v);
          wanted.insert(v);
        }
      } else {
        for (const toml::node& n : detail::require_array(*breaches, "'breaches'")) {
          require_target(p, n, require_string(n, "each target"));
          wanted.insert(require_string(n, "each target"));
        }
      }
      std::set<std::string> got;
      for (const clock_report& c : status.clocks)
        if (c.breached) got.insert(c.target);
      r.name = id + " breaches";
      r.expected = list(std::vector<std::string>(wanted.begin(), wanted.end()));
      r.actual = list(std::vector<std::string>(got.begin(), got.end()));
      r.passed = wanted == got;
      if (!r.passed)
        r.update.push_back(edit_at(*breaches, got.empty() ? toml_string("none")
                                              : breaches->is_string() && got.size() == 1
                                                  ? toml_string(*got.begin())
                                                  : toml_strings(std::vector<std::string>(got.begin(), got.end()))));
    } else if (const toml::node* owner = e.get("owner")) {
      r.expected = require_string(*owner, "'owner'");
      if (const toml::node* after = e.get("after")) {
        const std::string& event = require_string(*after, "'after'");
        r.name = id + " owner after " + event;
        r.actual = "(no '" + event + "' event)";
        for (const auto& [name, who] : run->owner_after)
          if (name == event) {
            r.actual = who.empty() ? std::string(detail::no_owner_name) : who;
            break;
          }
      } else {
        r.name = id + " owner";
        r.actual = status.owner.empty() ? std::string(detail::no_owner_name) : status.owner;
      }
      r.passed = r.expected == r.actual;
      // "(no 'X' event)" is not an owner: nothing to write.
      if (!r.passed && r.actual.rfind("(no '", 0) != 0) r.update.push_back(edit_at(*owner, toml_string(r.actual)));
    } else if (const toml::node* rejected = e.get("rejected")) {
      const std::int64_t wanted = detail::require_integer(*rejected, "'rejected'");
      std::int64_t got = 0;
      for (const timeline_entry& entry : run->timeline) got += entry.what == timeline_entry::kind::rejected;
      r.name = id + " rejected events";
      r.expected = std::to_string(wanted);
      r.actual = std::to_string(got);
      r.passed = wanted == got;
      if (!r.passed) r.update.push_back(edit_at(*rejected, r.actual));
    } else {
      fail_at(item, "an expectation needs one of 'due', 'state', 'level', 'breaches', 'owner', 'rejected'");
    }
    out.results.push_back(std::move(r));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

std::string update_expectations(std::string_view text, const test_file_result& result) {
  std::vector<const value_edit*> edits;
  for (const expectation_result& r : result.results)
    if (!r.passed)
      for (const value_edit& e : r.update) edits.push_back(&e);
  // toml++'s line and column (from 1, columns in code points) as a byte offset in `text`.
  std::vector<std::size_t> line_starts{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts.push_back(i + 1);
  const bool bom = text.compare(0, 3, "\xEF\xBB\xBF") == 0;
  auto offset = [&](int line, int column) {
    if (line < 1 || static_cast<std::size_t>(line) > line_starts.size() || column < 1)
      throw error("cannot update " + result.file + ": no line " + std::to_string(line) + ", column " +
                  std::to_string(column) + " in it");
    std::size_t at = line_starts[static_cast<std::size_t>(line - 1)] + (line == 1 && bom ? 3 : 0);
    for (int c = 1; c < column && at < text.size(); ++c) {
      ++at;  // past a code point's first byte and its continuation bytes
      while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
    }
    return at;
  };
  struct span {
    std::size_t begin, end;
    const std::string* text;
  };
  std::vector<span> spans;
  for (const value_edit* e : edits)
    spans.push_back({offset(e->begin_line, e->begin_column), offset(e->end_line, e->end_column), &e->text});
  std::sort(spans.begin(), spans.end(), [](const span& a, const span& b) { return a.begin < b.begin; });
  std::string out;
  std::size_t at = 0;
  for (const span& s : spans) {
    if (s.begin < at || s.end < s.begin) throw error("cannot update " + result.file + ": two values to write overlap");
    out.append(text.substr(at, s.begin - at));
    out += *s.text;
    at = s.end;
  }
  out.append(text.substr(at));
  return out;
}

std::string junit_xml(const std::vector<test_file_result>& results) {
  std::ostringstream out;
  std::size_t tests = 0, failures = 0, errors = 0;
  for (const auto& f : results) {
    if (!f.load_error.empty()) {
      ++tests;
      ++errors;
    }
    for (const auto& r : f.results) {
      ++tests;
      failures += r.passed ? 0 : 1;
    }
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"redress policy tests\" tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\"" << errors
      << "\">\n";
  for (const auto& f : results) {
    std::size_t file_failures = 0;
    for (const auto& r : f.results) file_failures += r.passed ? 0 : 1;
    const bool errored = !f.load_error.empty();
    out << "  <testsuite name=\"" << xml_escape(f.name) << "\" file=\"" << xml_escape(f.file) << "\" tests=\""
        << f.results.size() + (errored ? 1 : 0) << "\" failures=\"" << file_failures << "\" errors=\""
        << (errored ? 1 : 0) << "\" time=\"" << f.seconds << "\">\n";
    if (errored)
      out << "    <testcase classname=\"" << xml_escape(f.name) << "\" name=\"load " << xml_escape(f.file)
          << "\" file=\"" << xml_escape(f.file) << "\">\n      <error message=\"" << xml_escape(f.load_error) << "\">"
          << xml_escape(f.load_error) << "</error>\n    </testcase>\n";
    for (const auto& r : f.results) {
      out << "    <testcase classname=\"" << xml_escape(f.name) << "\" name=\"" << xml_escape(r.name) << "\" file=\""
          << xml_escape(r.where.file) << "\" line=\"" << r.where.line << "\"";
      if (r.passed) {
        out << "/>\n";
      } else {
        out << ">\n      <failure message=\"" << xml_escape(r.name + ": expected " + r.expected + ", actual " + r.actual)
            << "\">" << xml_escape(r.where.to_string() + ": " + r.name + "\n  expected: " + r.expected +
                                   "\n  actual:   " + r.actual)
            << "</failure>\n    </testcase>\n";
      }
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}

}  // namespace redress::tools
