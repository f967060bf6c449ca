// The policy language (rules/README.md): reading a policy file into a policy_definition, with
// a located message for the first thing that stops it from loading.
#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>
#include <utility>
#include <string>
#include <vector>

#include "calendar/calendar_file.hpp"
#include "files/toml_reader.hpp"
#include "policy/policy_rules.hpp"
#include "redress/policy.hpp"

namespace redress {
namespace detail {
namespace {

namespace fs = std::filesystem;

// The default values of each classification dimension (from the domain digest), in the order
// of selector_dimensions; a policy's [vocabulary] replaces a dimension's list.
const std::vector<std::string>& default_values(std::string_view dimension) {
  static const std::map<std::string_view, std::vector<std::string>> defaults = {
      {"kind", {"staff", "organisation", "product-quality", "claim", "suggestion"}},
      {"priority", {"low", "normal", "high", "urgent"}},
      {"channel", {"phone", "chat", "email", "web", "letter", "in-person"}},
      {"tier", {"standard", "premium"}},
  };
  static const std::vector<std::string> none;
  auto found = defaults.find(dimension);
  return found == defaults.end() ? none : found->second;
}

std::string closest_dimension(std::string_view word, bool plural) {
  std::vector<std::string> names;
  for (const selector_dimension& d : selector_dimensions) names.emplace_back(plural ? d.plural : d.name);
  return closest_match(word, names);
}

std::vector<std::string> string_or_list(const toml::node& node, const std::string& what) {
  std::vector<std::string> out;
  if (node.is_string()) {
    out.push_back(require_string(node, what));
    return out;
  }
  if (!node.is_array())
    fail_at(node, what + " must be a string or an array of strings, not " + type_name(node));
  for (const toml::node& item : *node.as_array()) out.push_back(require_string(item, "each of " + what));
  return out;
}

class policy_reader {
public:
  policy_reader(const toml::table& document, std::string file)
      : document_(document), file_(std::move(file)) {}

  policy_definition read() {
    check_keys(document_,
               {"policy", "calendars", "regions", "sites", "roles", "vocabulary", "kinds", "lifecycle",
                "intake", "pauses", "promises", "targets", "corrective-actions", "events"},
               "a policy file");
    def_.file = file_;
    read_header();
    read_roles();
    read_calendars();
    for (const auto& [index, node] : role_deliver_)
      require_deliver(*node, "role '" + def_.roles[index].id + "' deliver");
    read_vocabulary();
    read_kinds();
    read_places("regions", "region", def_.region_calendars);
    read_places("sites", "site", def_.site_calendars);
    check_owner_regions();
    read_lifecycle();
    read_intake();
    read_pauses();
    read_events();
    read_promises();
    read_targets();
    read_corrective_actions();
    return std::move(def_);
  }

private:
  const toml::table& table_at(const char* key, bool required) {
    const toml::node* node = document_.get(key);
    if (!node) {
      if (required) throw error(std::string("a policy needs a [") + key + "] table",
                                source_location{file_, 1, 1});
      return empty_;
    }
    return require_table(*node, std::string("[") + key + "]");
  }

  void read_header() {
    const toml::table& header = table_at("policy", true);
    check_keys(header, {"name", "version", "source", "calendar", "calendar_precedence"}, "[policy]");
    const toml::node* name = header.get("name");
    if (!name) fail_at(header, "[policy] needs a 'name', e.g. name = \"UK payment services (FCA DISP 1.6)\"");
    def_.name = require_string(*name, "'name'");
    const toml::node* version = header.get("version");
    if (!version)
      fail_at(header, "[policy] needs a 'version', e.g. version = \"2026.1\" (a complaint keeps the "
                      "version it started under)");
    def_.version = require_string(*version, "'version'");
    if (const toml::node* source = header.get("source")) def_.source = require_string(*source, "'source'");
    default_calendar_node_ = header.get("calendar");
    if (const toml::node* order = header.get("calendar_precedence")) {
      def_.calendar_precedence.clear();
      for (const toml::node& item : require_array(*order, "'calendar_precedence'")) {
        const std::string& value = require_string(item, "each of 'calendar_precedence'");
        if (const std::string problem = calendar_source_problem(value); !problem.empty()) fail_at(item, problem);
        def_.calendar_precedence.push_back(value);
      }
    }
    header_ = &header;
  }

  void read_roles() {
    const toml::table& roles = table_at("roles", false);
    for (const auto& [key, value] : roles) {
      role_definition role;
      role.id = std::string(key.str());
      role.where = location_of(key);
      if (const std::string problem = role_name_problem(role.id); !problem.empty()) fail_at(key, problem);
      if (value.is_string()) {
        role.title = require_string(value, "a role's title");
      } else {
        if (!value.is_table())
          fail_at(value, "role '" + role.id + "' must be its title (a string) or a table with a 'title', not " +
                             type_name(value));
        const toml::table& t = require_table(value, "role '" + role.id + "'");
        check_keys(t, {"title", "team", "deliver"}, "role '" + role.id + "'");
        if (const toml::node* deliver = t.get("deliver")) {
          role.deliver = require_string(*deliver, "'deliver'");
          role_deliver_.emplace_back(def_.roles.size(), deliver);  // checked once calendars are read
        }
        if (const toml::node* title = t.get("title")) role.title = require_string(*title, "'title'");
        if (const toml::node* team = t.get("team")) {
          role.team = require_string(*team, "'team'");
          if (const std::string problem = team_problem(role.team); !problem.empty()) fail_at(*team, problem);
        }
      }
      def_.roles.push_back(role);
    }
  }

  std::string require_role(const toml::node& node, const std::string& what, bool allow_owner = false) {
    const std::string& id = require_string(node, what);
    if (const std::string problem = role_problem(def_.roles, id, what, allow_owner); !problem.empty())
      fail_at(node, problem);
    return id;
  }

  // A calendar file, named at `node`. Two different files that call themselves by the same
  // `name` are refused: whichever name a host or a message uses would be ambiguous.
  business_calendar load_calendar_file(const toml::node& node, const std::string& relative,
                                       std::string& identity) {
    const std::string path = resolve_relative(file_, relative);
    business_calendar calendar = [&] {
      try {
        return load_calendar(path);
      } catch (const error& e) {
        if (e.where().line == 0 && e.where().file == path)
          fail_at(node, "cannot load calendar \"" + path + "\": " + e.message());
        throw;
      }
    }();
    std::error_code ignored;
    identity = fs::weakly_canonical(path, ignored).string();
    for (const loaded_calendar_file& other : calendar_files_)
      if (other.name == calendar.name() && other.identity != identity)
        fail_at(node, "calendar files \"" + other.path + "\" (named at " + other.where.to_string() +
                          ") and \"" + path + "\" both call themselves '" + calendar.name() +
                          "': give each file its own 'name'");
    calendar_files_.push_back({calendar.name(), identity, path, location_of(node)});
    return calendar;
  }

  void read_calendars() {
    const toml::table& calendars = table_at("calendars", false);
    std::map<std::string, std::string> file_of;  // [calendars] key -> file identity
    for (const auto& [key, value] : calendars) {
      // The key names it in this policy, whatever the file calls itself.
      const std::string name(key.str());
      if (value.is_string()) {
        std::string identity;
        def_.calendars.insert_or_assign(name, load_calendar_file(value, *value.value<std::string>(), identity));
        file_of[name] = identity;
      } else {
        const toml::table& inline_table = require_table(value, "calendar '" + name + "'");
        def_.calendars.insert_or_assign(
            name, calendar_from_table(inline_table, file_, name, "[calendars." + name + "]"));
      }
    }
    if (default_calendar_node_) {
      const std::string& value = require_string(*default_calendar_node_, "'calendar'");
      if (value.size() > 5 && value.compare(value.size() - 5, 5, ".toml") == 0) {
        std::string identity;
        business_calendar calendar = load_calendar_file(*default_calendar_node_, value, identity);
        const std::string name = calendar.name();
        if (const toml::node* declared = calendars.get(name)) {
          // The same file under its own name is the same calendar; another would replace it.
          if (file_of.count(name) == 0 || file_of[name] != identity)
            fail_at(*default_calendar_node_,
                    "the default calendar file \"" + value + "\" calls itself '" + name +
                        "', the name [calendars] gives another calendar at " +
                        location_of(*declared).to_string() +
                        ": it would replace that one; rename one of them");
        } else {
          def_.calendars.insert_or_assign(name, std::move(calendar));
        }
        def_.default_calendar = name;
      } else {
        def_.default_calendar = require_calendar(*default_calendar_node_, "'calendar'");
      }
    } else if (def_.calendars.size() == 1) {
      def_.default_calendar = def_.calendars.begin()->first;
    } else {
      fail_at(*header_, default_calendar_problem(def_));  // no default named: which one is it?
    }
  }

  void require_deliver(const toml::node& node, const std::string& what) {
    const std::string& value = require_string(node, "'deliver'");
    if (const std::string problem = deliver_problem(def_, value, what); !problem.empty()) fail_at(node, problem);
  }

  std::string require_calendar(const toml::node& node, const std::string& what) {
    const std::string& name = require_string(node, what);
    if (const std::string problem = calendar_problem(def_, name, what); !problem.empty()) fail_at(node, problem);
    return name;
  }

  void read_vocabulary() {
    for (const selector_dimension& d : selector_dimensions)
      def_.vocabulary[std::string(d.name)] = default_values(d.name);
    const toml::table& vocabulary = table_at("vocabulary", false);
    for (const auto& [key, value] : vocabulary) {
      const std::string_view name = key.str();  // clang (C++17) cannot capture a structured binding
      auto found = std::find_if(std::begin(selector_dimensions), std::end(selector_dimensions),
                                [&](const selector_dimension& d) { return d.plural == name; });
      if (found == std::end(selector_dimensions)) {
        std::string message = "unknown key '" + std::string(key.str()) + "' in [vocabulary]";
        std::string near = closest_dimension(key.str(), true);
        message += near.empty() ? "; expected " + dimensions_in_words(true) : "; did you mean '" + near + "'?";
        fail_at(key, message);
      }
      std::vector<std::string>& list = def_.vocabulary[std::string(found->name)];
      list.clear();
      const std::string plural(found->plural);
      for (const toml::node& item : require_array(value, "[vocabulary] " + plural))
        list.push_back(require_string(item, "each of " + plural));
    }
  }

  void read_kinds() {
    const toml::table& kinds = table_at("kinds", false);
    if (kinds.empty()) {
      for (const std::string& k : def_.vocabulary["kind"]) def_.kinds.push_back({k, "", "", {}, {}});
      return;
    }
    std::vector<std::string>& declared = def_.vocabulary["kind"];
    if (!document_.get("vocabulary") || !document_.get("vocabulary")->as_table()->get("kinds"))
      declared.clear();
    for (const auto& [key, value] : kinds) {
      kind_definition kind;
      kind.name = std::string(key.str());
      kind.where = location_of(value);
      const std::string label = "[kinds." + kind.name + "]";
      const toml::table& t = require_table(value, label);
      check_keys(t, {"owner", "description", "owner_by_region"}, label);
      if (const toml::node* owner = t.get("owner")) kind.owner = require_role(*owner, label + " owner");
      if (const toml::node* description = t.get("description"))
        kind.description = require_string(*description, "'description'");
      if (const toml::node* by_region = t.get("owner_by_region")) {
        for (const auto& [region, role] : require_table(*by_region, "'owner_by_region'"))
          kind.owner_by_region[std::string(region.str())] = require_role(role, label + " owner_by_region");
      }
      if (std::find(declared.begin(), declared.end(), kind.name) == declared.end())
        declared.push_back(kind.name);
      def_.kinds.push_back(std::move(kind));
    }
  }

  // The regions of owner_by_region must be declared (as [regions] or under [vocabulary]), which
  // is known only once the places are read.
  void check_owner_regions() {
    const toml::node* kinds = document_.get("kinds");
    if (!kinds || !kinds->is_table()) return;
    for (const auto& [key, value] : *kinds->as_table()) {
      const toml::table* kind = value.as_table();
      const toml::node* by_region = kind ? kind->get("owner_by_region") : nullptr;
      if (!by_region || !by_region->is_table()) continue;
      for (const auto& [region, role] : *by_region->as_table())
        require_value("region", region.str(), role, "[kinds." + std::string(key.str()) + "] owner_by_region");
    }
  }

  void read_places(const char* key, const char* dimension,
                   std::map<std::string, std::string, std::less<>>& calendars) {
    const toml::table& places = table_at(key, false);
    std::vector<std::string>& declared = def_.vocabulary[dimension];
    for (const auto& [name_key, value] : places) {
      const std::string name(name_key.str());
      const std::string label = std::string("[") + key + "." + name + "]";
      const toml::table& t = require_table(value, label);
      check_keys(t, {"calendar", "description"}, label);
      if (const toml::node* calendar = t.get("calendar"))
        calendars[name] = require_calendar(*calendar, label + " calendar");
      if (std::find(declared.begin(), declared.end(), name) == declared.end()) declared.push_back(name);
    }
  }

  void read_lifecycle() {
    const toml::table& lifecycle = table_at("lifecycle", false);
    check_keys(lifecycle,
               {"may_close_with_unverified_plan", "first_contact_may_skip_registration", "corrective_action_within"},
               "[lifecycle]");
    if (const toml::node* n = lifecycle.get("may_close_with_unverified_plan"))
      def_.lifecycle.may_close_with_unverified_plan = require_bool(*n, "'may_close_with_unverified_plan'");
    if (const toml::node* n = lifecycle.get("first_contact_may_skip_registration"))
      def_.lifecycle.first_contact_may_skip_registration =
          require_bool(*n, "'first_contact_may_skip_registration'");
    if (const toml::node* n = lifecycle.get("corrective_action_within")) {
      def_.corrective_action_within_where = location_of(*n);
      def_.corrective_action_within =
          duration_spec::parse(require_string(*n, "'corrective_action_within'"), location_of(*n));
      if (const std::string problem = corrective_action_within_problem(def_.corrective_action_within);
          !problem.empty())
        fail_at(*n, problem);
    }
  }

  void read_intake() {
    const toml::table& intake = table_at("intake", false);
    check_keys(intake, {"required", "channels"}, "[intake]");
    if (const toml::node* required = intake.get("required"))
      def_.required_fields = string_or_list(*required, "[intake] required");
    if (const toml::node* channels = intake.get("channels")) {
      for (const auto& [channel, fields] : require_table(*channels, "[intake.channels]")) {
        require_value("channel", channel.str(), fields, "[intake.channels]");
        def_.required_by_channel[std::string(channel.str())] =
            string_or_list(fields, "[intake.channels] " + std::string(channel.str()));
      }
    }
  }

  void require_value(const std::string& dimension, std::string_view value, const toml::node& node,
                     const std::string& where) {
    if (const std::string problem = value_problem(def_, dimension, value, where); !problem.empty())
      fail_at(node, problem);
  }

  void read_pauses() {
    const toml::table& pauses = table_at("pauses", false);
    check_keys(pauses, {"reason_required", "budget", "when_exceeded"}, "[pauses]");
    if (const toml::node* n = pauses.get("reason_required"))
      def_.pauses.reason_required = require_bool(*n, "'reason_required'");
    if (const toml::node* n = pauses.get("budget")) {
      def_.pauses.budget = duration_spec::parse(require_string(*n, "'budget'"), location_of(*n));
      if (const std::string problem = pause_budget_problem(*def_.pauses.budget); !problem.empty())
        fail_at(*n, problem);
    }
    if (const toml::node* n = pauses.get("when_exceeded")) {
      const std::string& value = require_string(*n, "'when_exceeded'");
      if (value == "refuse") def_.pauses.when_exceeded = pause_rules::over_budget::refuse;
      else if (value == "end-pause") def_.pauses.when_exceeded = pause_rules::over_budget::end_pause;
      else fail_at(*n, "'when_exceeded' must be \"refuse\" or \"end-pause\", not \"" + value + "\"");
    }
  }

  void read_events() {
    const toml::table& events = table_at("events", false);
    check_keys(events, {"backdate_limit"}, "[events]");
    if (const toml::node* n = events.get("backdate_limit")) {
      def_.events.backdate_limit = duration_spec::parse(require_string(*n, "'backdate_limit'"), location_of(*n));
      if (const std::string problem = backdate_limit_problem(*def_.events.backdate_limit); !problem.empty())
        fail_at(*n, problem);
    }
  }

  lifecycle_trigger require_trigger(const toml::node& node, const std::string& what,
                                    bool states_only = false) {
    const std::string& name = require_string(node, what);
    if (auto s = parse_complaint_state(name)) return lifecycle_trigger::entering(*s);
    if (!states_only) {
      if (auto e = parse_lifecycle_event(name)) return lifecycle_trigger::on(*e);
      if (auto p = parse_action_plan_state(name)) return lifecycle_trigger::entering(*p);
    }
    std::vector<std::string> names;
    for (int s = 0; s <= static_cast<int>(complaint_state::withdrawn); ++s)
      names.emplace_back(to_string(static_cast<complaint_state>(s)));
    if (!states_only) {
      for (int e = 0; e < lifecycle_event_count; ++e)
        names.emplace_back(to_string(static_cast<lifecycle_event>(e)));
      for (int p = 0; p <= static_cast<int>(action_plan_state::verified); ++p)
        names.emplace_back(to_string(static_cast<action_plan_state>(p)));
    }
    std::string message = "unknown lifecycle " + std::string(states_only ? "state" : "event or state") +
                          " '" + name + "' in " + what;
    const std::string near = closest_match(name, names);
    if (!near.empty()) message += "; did you mean '" + near + "'?";
    else message += states_only ? "; expected a state such as \"awaiting_customer\""
                                : "; expected an event such as \"acknowledge\" or a state such as \"received\"";
    fail_at(node, message);
  }

  std::vector<lifecycle_trigger> triggers(const toml::node& node, const std::string& what) {
    std::vector<lifecycle_trigger> out;
    if (node.is_array()) {
      for (const toml::node& item : *node.as_array()) out.push_back(require_trigger(item, what));
    } else {
      out.push_back(require_trigger(node, what));
    }
    return out;
  }

  escalation_step read_step(const toml::node& node, const std::string& label) {
    const toml::table& t = require_table(node, "each escalation level (e.g. { at = \"80%\", notify = \"team-lead\" })");
    check_keys(t, {"at", "notify", "assign", "record", "verifier", "deliver"}, label);
    escalation_step step;
    step.where = location_of(node);
    const toml::node* at = t.get("at");
    if (!at) fail_at(node, "an escalation level needs 'at': \"75%\", \"100%\", \"+2 business days\" or "
                           "\"2 business hours before\"");
    read_anchor(*at, step);
    if (const toml::node* notify = t.get("notify")) {
      if (notify->is_array()) {
        for (const toml::node& item : *notify->as_array())
          step.notify.push_back(require_role(item, label + " notify", true));
      } else {
        step.notify.push_back(require_role(*notify, label + " notify", true));
      }
    }
    if (const toml::node* assign = t.get("assign")) step.assign = require_role(*assign, label + " assign");
    if (const toml::node* record = t.get("record")) step.record = require_string(*record, "'record'");
    if (const toml::node* verifier = t.get("verifier")) step.verifier = require_role(*verifier, label + " verifier");
    if (const toml::node* deliver = t.get("deliver")) {
      require_deliver(*deliver, label + " deliver");
      step.deliver = require_string(*deliver, "'deliver'");
    }
    if (const std::string problem = escalation_effect_problem(step); !problem.empty()) fail_at(node, problem);
    return step;
  }

  void read_anchor(const toml::node& node, escalation_step& step) {
    const std::string& text = require_string(node, "'at'");
    step.label = text;
    const std::string expected =
        "expected \"75%\", \"100%\", \"+2 business days\" (after the deadline) or \"2 business hours "
        "before\"";
    if (!text.empty() && text.back() == '%') {
      const std::string digits = text.substr(0, text.size() - 1);
      if (digits.empty() || digits.size() > 3 ||
          digits.find_first_not_of("0123456789") != std::string::npos)
        fail_at(node, "invalid escalation point \"" + text + "\": " + expected);
      step.at = escalation_step::anchor::percent;
      step.percent = std::stoi(digits);
    } else if (const std::string suffix = " before";
               text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
      step.at = escalation_step::anchor::before_due;
      step.offset = duration_spec::parse(text.substr(0, text.size() - suffix.size()), location_of(node));
    } else if (!text.empty() && text.front() == '+') {
      step.at = escalation_step::anchor::after_due;
      step.offset = duration_spec::parse(text.substr(1), location_of(node));
    } else {
      fail_at(node, "invalid escalation point \"" + text + "\": " + expected);
    }
    if (const std::string problem = escalation_point_problem(step); !problem.empty()) fail_at(node, problem);
  }

  std::vector<escalation_step> read_ladder(const toml::node& node, const std::string& label) {
    std::vector<escalation_step> out;
    if (node.is_table()) {
      out.push_back(read_step(node, label));
      return out;
    }
    for (const toml::node& item : require_array(node, "'escalate'")) out.push_back(read_step(item, label));
    return out;
  }

  selector read_selector(const toml::node& node, const std::string& label, bool allow_justified) {
    selector out;
    const toml::table& t = require_table(node, "'when' (e.g. when = { channel = [\"phone\"] })");
    for (const auto& [key, value] : t) {
      const std::string dimension(key.str());
      if (dimension == "justified" && allow_justified) {
        out.justified = require_bool(value, "'justified'");
        continue;
      }
      if (const std::string problem = selector_dimension_problem(dimension, label); !problem.empty())
        fail_at(key, problem);
      std::vector<std::string> values;
      auto check = [&](const toml::node& item) {
        const std::string& v = require_string(item, "each value of '" + dimension + "'");
        require_value(dimension, v, item, label + " when");
        values.push_back(v);
      };
      if (value.is_array()) {
        for (const toml::node& item : *value.as_array()) check(item);
      } else {
        check(value);
      }
      out.values[dimension] = std::move(values);
    }
    return out;
  }

  void read_promises() {
    const toml::table& promises = table_at("promises", false);
    check_keys(promises, {"warn", "escalate", "kept_by"}, "[promises]");
    if (const toml::node* warn = promises.get("warn")) {
      escalation_step step;
      step.where = location_of(*warn);
      read_anchor(*warn, step);
      step.notify.push_back("owner");
      def_.promises.escalate.push_back(step);
    }
    if (const toml::node* escalate = promises.get("escalate")) {
      for (escalation_step& step : read_ladder(*escalate, "[promises] escalate"))
        def_.promises.escalate.push_back(std::move(step));
    }
    if (const toml::node* kept = promises.get("kept_by"))
      def_.promises.kept_by = triggers(*kept, "[promises] kept_by");
    else
      def_.promises.kept_by.push_back(lifecycle_trigger::on(lifecycle_event::contact_customer));
  }

  void read_targets() {
    const toml::node* node = document_.get("targets");
    if (!node) return;
    const toml::array& targets =
        require_array(*node, "'targets' (write each as [[targets]])");
    for (const toml::node& item : targets) def_.targets.push_back(read_target(item));
  }

  target_definition read_target(const toml::node& node) {
    const toml::table& t = require_table(node, "each target (write [[targets]])");
    target_definition target;
    target.where = location_of(node);
    const toml::node* name = t.get("name");
    if (!name) fail_at(node, "a target needs a 'name', e.g. name = \"final-response\"");
    target.name = require_string(*name, "'name'");
    if (const std::string problem = target_name_problem(target.name); !problem.empty()) fail_at(*name, problem);
    const std::string label = "target '" + target.name + "'";
    check_keys(t,
               {"name", "description", "starts", "stops", "within", "every", "end", "rollover",
                "receipt", "extension", "when", "pauses", "escalate", "owner", "calendar", "rearm_on",
                "on_reclassify"},
               label);
    if (const toml::node* d = t.get("description")) target.description = require_string(*d, "'description'");
    const toml::node* starts = t.get("starts");
    if (!starts) fail_at(node, label + " needs 'starts': the event or state that starts its clock, e.g. \"received\"");
    target.starts = require_trigger(*starts, label + " starts");
    const toml::node* stops = t.get("stops");
    if (!stops) fail_at(node, label + " needs 'stops': the events or states that stop its clock, e.g. \"responded\"");
    target.stops = triggers(*stops, label + " stops");

    const toml::node* within = t.get("within");
    const toml::node* every = t.get("every");
    if (within && every)
      fail_at(*every, label + " has both 'within' and 'every': a target is either one deadline or periodic");
    if (!within && !every)
      fail_at(node, label + " needs 'within' (a deadline, e.g. \"15 business days\") or 'every' (periodic)");
    const toml::node& duration_node = within ? *within : *every;
    target.within = duration_spec::parse(require_string(duration_node, within ? "'within'" : "'every'"),
                                         location_of(duration_node));
    target.within_where = location_of(duration_node);
    target.periodic = every != nullptr;
    if (const std::string problem = target_duration_problem(target); !problem.empty())
      fail_at(duration_node, problem);

    if (const toml::node* end = t.get("end")) {
      const std::string& v = require_string(*end, "'end'");
      auto e = parse_day_end(v);
      if (!e) fail_at(*end, "'end' must be \"end-of-day\", \"close-of-business\" or \"same-time\", not \"" + v + "\"");
      target.options.end = *e;
    }
    if (const toml::node* rollover = t.get("rollover")) {
      const std::string& v = require_string(*rollover, "'rollover'");
      auto r = parse_rollover_rule(v);
      if (!r) fail_at(*rollover, "'rollover' must be \"none\" or \"next-business-day\", not \"" + v + "\"");
      target.options.rollover = *r;
    }
    if (const toml::node* receipt = t.get("receipt")) {
      const std::string& v = require_string(*receipt, "'receipt'");
      auto r = parse_receipt_rule(v);
      if (!r)
        fail_at(*receipt, "'receipt' must be \"as-received\" or \"next-business-day-if-closed\", not \"" + v + "\"");
      target.options.receipt = *r;
    }
    if (const toml::node* extension = t.get("extension")) {
      if (target.periodic) {
        target.extension = target_definition::extension_rule{};  // not emplace(): clang sees the rule as not default-constructible there
        fail_at(*extension, target_shape_problem(target));
      }
      const toml::table& e = require_table(*extension, "'extension' (e.g. { within = \"35 business days\", requires = \"send_holding_response\" })");
      check_keys(e, {"within", "requires"}, label + " extension");
      const toml::node* ext_within = e.get("within");
      if (!ext_within) fail_at(*extension, "an extension needs 'within', counted from the clock's start");
      target_definition::extension_rule rule;
      rule.within = duration_spec::parse(require_string(*ext_within, "'within'"), location_of(*ext_within));
      const toml::node* requires_node = e.get("requires");
      if (!requires_node)
        fail_at(*extension, "an extension needs 'requires': the event that allows it, e.g. \"send_holding_response\"");
      std::string condition = require_string(*requires_node, "'requires'");
      if (condition == "holding_response_sent") condition = "send_holding_response";
      auto event = parse_lifecycle_event(condition);
      if (!event) {
        std::vector<std::string> names;
        for (int i = 0; i < lifecycle_event_count; ++i) names.emplace_back(to_string(static_cast<lifecycle_event>(i)));
        std::string message = "unknown event '" + condition + "' in " + label + " extension requires";
        const std::string near = closest_match(condition, names);
        message += near.empty() ? "; expected an event such as \"send_holding_response\"" : "; did you mean '" + near + "'?";
        fail_at(*requires_node, message);
      }
      rule.condition = *event;
      target.extension = rule;
    }
    if (const toml::node* when = t.get("when")) target.when = read_selector(*when, label, false);
    if (const toml::node* pauses = t.get("pauses")) {
      for (const toml::node& item : require_array(*pauses, "'pauses'")) {
        const lifecycle_trigger state = require_trigger(item, label + " pauses", true);
        target.pauses.push_back(static_cast<complaint_state>(state.value));
      }
    }
    if (const toml::node* escalate = t.get("escalate")) target.escalate = read_ladder(*escalate, label + " escalate");
    if (const toml::node* owner = t.get("owner")) target.owner = require_role(*owner, label + " owner");
    if (const toml::node* calendar = t.get("calendar")) target.calendar = require_calendar(*calendar, label + " calendar");
    if (const toml::node* rule = t.get("on_reclassify")) {
      const std::string& v = require_string(*rule, "'on_reclassify'");
      if (v == "recompute") target.on_reclassify = target_definition::reclassify_rule::recompute;
      else if (v == "restart") target.on_reclassify = target_definition::reclassify_rule::restart;
      else fail_at(*rule, label + " on_reclassify must be \"recompute\" or \"restart\", not \"" + v + "\"");
    }
    if (const toml::node* rearm = t.get("rearm_on")) {
      target.rearm_on = triggers(*rearm, label + " rearm_on");
      if (const std::string problem = target_shape_problem(target); !problem.empty()) fail_at(*rearm, problem);
    } else if (target.periodic) {
      target.rearm_on.push_back(lifecycle_trigger::on(lifecycle_event::contact_customer));
    }
    return target;
  }

  void read_corrective_actions() {
    const toml::node* node = document_.get("corrective-actions");
    if (!node) return;
    for (const toml::node& item : require_array(*node, "'corrective-actions' (write each as [[corrective-actions]])")) {
      const toml::table& t = require_table(item, "each corrective action (write [[corrective-actions]])");
      check_keys(t, {"when", "what", "owner", "within", "verifier"}, "[[corrective-actions]]");
      corrective_action_template action;
      action.where = location_of(item);
      if (const toml::node* when = t.get("when")) action.when = read_selector(*when, "[[corrective-actions]]", true);
      const toml::node* what = t.get("what");
      const toml::node* owner = t.get("owner");
      const toml::node* within = t.get("within");
      const toml::node* verifier = t.get("verifier");
      if (!what || !owner || !within || !verifier)
        fail_at(item, "a corrective action says who is responsible, to do what, by when, and who "
                      "verifies it: it needs 'what', 'owner', 'within' and 'verifier'");
      action.what = require_string(*what, "'what'");
      action.owner = require_role(*owner, "[[corrective-actions]] owner");
      action.within = duration_spec::parse(require_string(*within, "'within'"), location_of(*within));
      action.verifier = require_role(*verifier, "[[corrective-actions]] verifier");
      def_.corrective_actions.push_back(std::move(action));
    }
  }

  const toml::table& document_;
  std::string file_;
  policy_definition def_;
  const toml::node* default_calendar_node_ = nullptr;
  struct loaded_calendar_file {
    std::string name, identity, path;
    source_location where;
  };
  std::vector<loaded_calendar_file> calendar_files_;
  std::vector<std::pair<std::size_t, const toml::node*>> role_deliver_;  // role index, its deliver
  const toml::table* header_ = nullptr;
  toml::table empty_;
};

}  // namespace
}  // namespace detail

// The reader points at each value that breaks a rule as it reads it; the policy's constructor
// then runs validate(), the same rules (and the engine's limits) over the whole definition.
namespace {

// What the loaders read is recorded (policy_definition::files), or read from `files` when given.
policy read_policy(std::string_view toml_text, const std::string& file_name, const std::vector<source_file>* files) {
  const toml::table document = detail::parse_toml(toml_text, file_name);
  std::vector<source_file> loaded_from;
  if (files)
    for (const source_file& f : *files) loaded_from.push_back({detail::resolve_relative(file_name, f.path), f.text});
  std::vector<source_file> read;
  policy_definition definition = [&] {
    const detail::recorded_reads recording(read, files ? &loaded_from : nullptr);
    return detail::policy_reader(document, file_name).read();
  }();
  for (source_file& f : read) f.path = detail::relative_to(file_name, f.path);
  definition.files = std::move(read);
  return policy(std::make_shared<const policy_definition>(std::move(definition)));
}

}  // namespace

policy parse_policy(std::string_view toml_text, const std::string& file_name) {
  return read_policy(toml_text, file_name, nullptr);
}

policy parse_policy(std::string_view toml_text, const std::string& file_name, const std::vector<source_file>& files) {
  return read_policy(toml_text, file_name, &files);
}

policy load_policy(const std::string& path) {
  return read_policy(detail::read_text_file(path, "file"), path, nullptr);
}

}  // namespace redress
