// validate(): a policy_definition built in code is held to the rules a policy file is, with the
// same message. Each case breaks one rule twice: in a policy file (the reader points at the
// value) and in a definition built in code (policy's constructor refuses it at the element's
// `where`, "code.cpp:L:1"). Both messages are written out in full.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "redress/policy.hpp"

using namespace redress;

namespace {

const char* const base = R"([policy]
name = "Rules"
version = "1"
calendar = "office"

[calendars.office]
timezone = "UTC"
[calendars.office.hours]
mon = ["09:00-17:00"]

[roles]
handler = "Complaint handler"
lead = { title = "Team leader", team = "front" }

[[targets]]
name = "response"
starts = "received"
stops = "responded"
within = "5 business days"
)";

// The message (without location) of the error that loading `base` + `extra` throws.
std::string toml_message(const std::string& extra) {
  try {
    (void)parse_policy(std::string(base) + extra, "rules.toml");
  } catch (const error& e) {
    return e.message();
  }
  return "(loaded)";
}

// A valid definition (base loaded) for a case to break.
std::shared_ptr<policy_definition> definition() {
  return std::make_shared<policy_definition>(parse_policy(base, "rules.toml").definition());
}

const source_location code{"code.cpp", 7, 1};

// "file:line:col: message" of the error policy's constructor throws.
std::string constructor_error(const std::shared_ptr<policy_definition>& d) {
  try {
    policy refused(d);
  } catch (const error& e) {
    return e.what();
  }
  return "(made)";
}

target_definition& response(policy_definition& d) {
  d.targets.at(0).where = code;
  return d.targets.at(0);
}

escalation_step step_at(int percent, const char* notify) {
  escalation_step s;
  s.percent = percent;
  s.label = std::to_string(percent) + "%";
  if (*notify) s.notify.push_back(notify);
  s.where = code;
  return s;
}

}  // namespace

TEST_CASE("validate: the definition the reader made passes, and so does its copy") {
  CHECK_NOTHROW(validate(*definition()));
  CHECK(constructor_error(definition()) == "(made)");
}

TEST_CASE("validate: a role a target names must be declared") {
  const std::string message =
      "undeclared role 'leed' in target 'response' owner; did you mean 'lead'?";
  CHECK(toml_message("owner = \"leed\"\n") == message);
  auto d = definition();
  response(*d).owner = "leed";
  CHECK(constructor_error(d) == "code.cpp:7:1: " + message);
}

TEST_CASE("validate: the roles of a ladder level and of a corrective action must be declared") {
  const std::string notify =
      "undeclared role 'auditor' in target 'response' escalate notify; declare it under [roles] (declared: "
      "'handler', 'lead')";
  CHECK(toml_message("escalate = [{ at = \"80%\", notify = \"auditor\" }]\n") == notify);
  auto d = definition();
  response(*d).escalate.push_back(step_at(80, "auditor"));
  CHECK(constructor_error(d) == "code.cpp:7:1: " + notify);

  const std::string verifier = "undeclared role 'qa' in [[corrective-actions]] verifier; declare it under [roles] "
                               "(declared: 'handler', 'lead')";
  CHECK(toml_message("\n[[corrective-actions]]\nwhat = \"fix\"\nowner = \"lead\"\nwithin = \"5 business days\"\n"
                     "verifier = \"qa\"\n") == verifier);
  d = definition();
  corrective_action_template action;
  action.what = "fix";
  action.owner = "lead";
  action.within = duration_spec::parse("5 business days");
  action.verifier = "qa";
  action.where = code;
  d->corrective_actions.push_back(action);
  CHECK(constructor_error(d) == "code.cpp:7:1: " + verifier);
}

TEST_CASE("validate: a calendar a target names must be one of the policy's") {
  const std::string message = "undeclared calendar 'ofice' in target 'response' calendar; did you mean 'office'?";
  CHECK(toml_message("calendar = \"ofice\"\n") == message);
  auto d = definition();
  response(*d).calendar = "ofice";
  CHECK(constructor_error(d) == "code.cpp:7:1: " + message);
}

TEST_CASE("validate: the default calendar must be named and declared") {
  auto d = definition();
  d->default_calendar = "";
  CHECK(constructor_error(d) == "rules.toml: [policy] needs a 'calendar' naming the default among [calendars]");
  d->default_calendar = "head-office";
  CHECK(constructor_error(d) ==
        "rules.toml: undeclared calendar 'head-office' in 'calendar'; declare it under [calendars] (declared: "
        "'office')");
}

TEST_CASE("validate: calendar precedence names region, site or policy") {
  const std::string message = "unknown calendar source 'team': expected \"region\", \"site\" or \"policy\"";
  std::string text = base;
  text.replace(text.find("calendar = \"office\"\n"), 20, "calendar = \"office\"\ncalendar_precedence = [\"team\"]\n");
  try {
    (void)parse_policy(text, "rules.toml");
    FAIL("loaded");
  } catch (const error& e) {
    CHECK(e.message() == message);
  }
  auto d = definition();
  d->calendar_precedence = {"team", "policy"};
  CHECK(constructor_error(d) == "rules.toml: " + message);
}

TEST_CASE("validate: a team has a name") {
  auto d = definition();
  d->roles.at(1).team = " ";
  d->roles.at(1).where = code;
  CHECK(constructor_error(d) == "code.cpp:7:1: a team needs a name");
  d->roles.at(1).team = "";  // no team
  CHECK(constructor_error(d) == "(made)");
}

TEST_CASE("validate: a target is not named like the engine's own clocks, a role not 'owner' or 'nobody'") {
  const std::string promise =
      "a target cannot be named 'promise': it is the name of the engine's promise clock, which reports and "
      "explain --target would confuse with it";
  CHECK(toml_message("\n[[targets]]\nname = \"promise\"\nstarts = \"received\"\nstops = \"responded\"\n"
                     "within = \"2 business days\"\n") == promise);
  auto d = definition();
  response(*d).name = "corrective-action";
  CHECK(constructor_error(d) ==
        "code.cpp:7:1: a target cannot be named 'corrective-action': it is the name of the engine's corrective "
        "action clock, which reports and explain --target would confuse with it");
  response(*d).name = "";
  CHECK(constructor_error(d) == "code.cpp:7:1: a target's name cannot be empty");
  response(*d).name = "promises";
  CHECK(constructor_error(d) == "(made)");

  d = definition();
  d->roles.at(0).id = "nobody";
  d->roles.at(0).where = code;
  CHECK(constructor_error(d) == "code.cpp:7:1: a role cannot be named 'nobody': it is how reports write no owner");
  d->roles.at(0).id = "owner";
  CHECK(constructor_error(d) ==
        "code.cpp:7:1: a role cannot be named 'owner': notify = [\"owner\"] means the complaint's owner");
  d->roles.at(0).id = "";
  CHECK(constructor_error(d) == "code.cpp:7:1: a role's id cannot be empty");
}

TEST_CASE("validate: a selector names a dimension, and values of its vocabulary") {
  const std::string dimension = "unknown selector 'chanel' in target 'response'; did you mean 'channel'?";
  CHECK(toml_message("when = { chanel = \"phone\" }\n") == dimension);
  auto d = definition();
  response(*d).when.values["chanel"] = {"phone"};
  CHECK(constructor_error(d) == "code.cpp:7:1: " + dimension);

  const std::string value = "undeclared channel 'fax' in target 'response' when (declared: 'phone', 'chat', "
                            "'email', 'web', 'letter', 'in-person')";
  CHECK(toml_message("when = { channel = \"fax\" }\n") == value);
  d = definition();
  response(*d).when.values["channel"] = {"fax"};
  CHECK(constructor_error(d) == "code.cpp:7:1: " + value);

  // 'justified' selects corrective actions only.
  const std::string justified = "unknown selector 'justified' in target 'response'; expected kind, priority, "
                                "channel, tier, region or site";
  CHECK(toml_message("when = { justified = true }\n") == justified);
  d = definition();
  response(*d).when.justified = true;
  CHECK(constructor_error(d) == "code.cpp:7:1: " + justified);
}

TEST_CASE("validate: the regions of owner_by_region and the channels of [intake] are declared") {
  const std::string region = "undeclared region 'north' in [kinds.claim] owner_by_region (declared: (none declared))";
  CHECK(toml_message("\n[kinds.claim]\nowner = \"lead\"\nowner_by_region = { north = \"handler\" }\n") == region);
  auto d = definition();
  for (kind_definition& k : d->kinds)
    if (k.name == "claim") {
      k.owner_by_region["north"] = "handler";
      k.where = code;
    }
  CHECK(constructor_error(d) == "code.cpp:7:1: " + region);

  const std::string channel = "undeclared channel 'fax' in [intake.channels] (declared: 'phone', 'chat', 'email', "
                              "'web', 'letter', 'in-person')";
  CHECK(toml_message("\n[intake.channels]\nfax = [\"return_address\"]\n") == channel);
  d = definition();
  d->required_by_channel["fax"] = {"return_address"};
  CHECK(constructor_error(d) == "rules.toml: " + channel);
}

TEST_CASE("validate: a ladder level's point and effect") {
  const std::string percent = "invalid escalation point \"0%\": a percentage must be 1% to 100%";
  CHECK(toml_message("escalate = [{ at = \"0%\", notify = \"lead\" }]\n") == percent);
  auto d = definition();
  response(*d).escalate.push_back(step_at(0, "lead"));
  CHECK(constructor_error(d) == "code.cpp:7:1: " + percent);
  d->targets[0].escalate[0].label = "";  // built in code without a label: the point as it would be written
  CHECK(constructor_error(d) == "code.cpp:7:1: " + percent);

  const std::string before = "invalid escalation point \"1 business day before\": before the deadline, write a "
                             "positive elapsed or working time such as \"2 business hours before\"";
  CHECK(toml_message("escalate = [{ at = \"1 business day before\", notify = \"lead\" }]\n") == before);
  d = definition();
  escalation_step s = step_at(100, "lead");
  s.at = escalation_step::anchor::before_due;
  s.offset = duration_spec::parse("1 business day");
  s.label = "1 business day before";
  response(*d).escalate.push_back(s);
  CHECK(constructor_error(d) == "code.cpp:7:1: " + before);

  const std::string nothing = "an escalation level must notify, assign or record something";
  d = definition();
  response(*d).escalate.push_back(step_at(80, ""));
  CHECK(constructor_error(d) == "code.cpp:7:1: " + nothing);
  CHECK(toml_message("escalate = [{ at = \"80%\" }]\n") == nothing);
}

TEST_CASE("validate: a target's duration and shape") {
  const std::string negative = "target 'late' 'within' must not be negative";
  CHECK(toml_message("\n[[targets]]\nname = \"late\"\nstarts = \"received\"\nstops = \"responded\"\n"
                     "within = \"-2 hours\"\n") == negative);
  auto d = definition();
  response(*d).name = "late";
  response(*d).within = duration_spec::parse("-2 hours");
  response(*d).within_where = {"code.cpp", 8, 10};  // at the duration, where the definition says it is
  CHECK(constructor_error(d) == "code.cpp:8:10: " + negative);

  const std::string rearm = "'rearm_on' is for periodic targets (written with 'every')";
  CHECK(toml_message("rearm_on = \"contact_customer\"\n") == rearm);
  d = definition();
  response(*d).rearm_on.push_back(lifecycle_trigger::on(lifecycle_event::contact_customer));
  CHECK(constructor_error(d) == "code.cpp:7:1: " + rearm);

  const std::string extension = "a periodic target cannot have an extension";
  d = definition();
  target_definition& t = response(*d);
  t.periodic = true;
  t.rearm_on.push_back(lifecycle_trigger::on(lifecycle_event::contact_customer));
  t.extension = target_definition::extension_rule{duration_spec::parse("35 business days"),
                                                  lifecycle_event::send_holding_response};
  CHECK(constructor_error(d) == "code.cpp:7:1: " + extension);
  CHECK(toml_message("\n[[targets]]\nname = \"updates\"\nstarts = \"received\"\nstops = \"responded\"\n"
                     "every = \"5 business days\"\nextension = { within = \"10 business days\", requires = "
                     "\"send_holding_response\" }\n") == extension);
}

TEST_CASE("validate: a pause budget is positive working time") {
  const std::string message = "a pause budget is working time per complaint: write it as \"40 business hours\" or "
                              "\"90 business minutes\"";
  CHECK(toml_message("\n[pauses]\nbudget = \"5 days\"\n") == message);
  auto d = definition();
  d->pauses.budget = duration_spec::parse("5 days");
  CHECK(constructor_error(d) == "rules.toml: " + message);
}
