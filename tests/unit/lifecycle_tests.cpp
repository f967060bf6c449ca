// The complaint lifecycle: every transition of the table, and the forbidden ones, in the domain's
// words.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>
#include <set>

#include "redress/lifecycle.hpp"

using namespace redress;
using E = lifecycle_event;
using S = complaint_state;
using P = action_plan_state;

namespace {

lifecycle_state in(S main, P plan = P::none_required) {
  lifecycle_state s;
  s.main = main;
  s.plan = plan;
  return s;
}

// The state after `events` from received, each required to be accepted.
lifecycle_state after(std::initializer_list<E> events, const lifecycle_rules& rules = {}) {
  lifecycle_state s;
  for (E e : events) {
    lifecycle_context context;
    context.owner = 1;
    const auto o = step(s, e, context, rules);
    INFO(to_string(e) << " in " << to_string(s.main) << ": " << o.rejection);
    REQUIRE(o.accepted);
    s = o.state;
  }
  return s;
}

S moves(S from, E e, const lifecycle_rules& rules = {}) {
  const auto o = step(in(from), e, {}, rules);
  INFO(o.rejection);
  REQUIRE(o.accepted);
  return o.state.main;
}

std::string refused(const lifecycle_state& s, E e, const lifecycle_rules& rules = {}) {
  const auto o = step(s, e, {}, rules);
  CHECK_FALSE(o.accepted);
  CHECK(o.state == s);
  return o.rejection;
}

const S open_states[] = {S::received, S::acknowledged, S::registered, S::investigating,
                         S::awaiting_customer, S::resolution_proposed, S::resolution_agreed,
                         S::responded, S::verifying_satisfaction};

}  // namespace

TEST_CASE("a received complaint is acknowledged with a primary response") {
  CHECK(moves(S::received, E::acknowledge) == S::acknowledged);
}

TEST_CASE("an acknowledged complaint is registered in the journal") {
  CHECK(moves(S::acknowledged, E::register_complaint) == S::registered);
}

TEST_CASE("a complaint solved on first contact goes from acknowledged straight to responded") {
  const auto o = step(in(S::acknowledged), E::send_response);
  REQUIRE(o.accepted);
  CHECK(o.state.main == S::responded);
  CHECK(o.state.first_contact);
}

TEST_CASE("a policy can forbid skipping registration") {
  lifecycle_rules strict;
  strict.first_contact_may_skip_registration = false;
  const auto o = step(in(S::acknowledged), E::send_response, {}, strict);
  CHECK_FALSE(o.accepted);
  CHECK(o.refused_by_guard);
  CHECK(o.rejection ==
        "'send_response' refused in state 'acknowledged': the policy does not let a complaint skip "
        "registration (first_contact_may_skip_registration = false)");
}

TEST_CASE("a registered complaint is investigated") {
  CHECK(moves(S::registered, E::start_investigation) == S::investigating);
}

TEST_CASE("the investigation waits for the customer and resumes on the reply") {
  CHECK(moves(S::investigating, E::request_information) == S::awaiting_customer);
  CHECK(moves(S::awaiting_customer, E::customer_replied) == S::investigating);
}

TEST_CASE("a proposed resolution records whether the complaint is justified") {
  lifecycle_context unjustified;
  unjustified.justified = false;
  lifecycle_context justified;
  justified.justified = true;
  CHECK(step(in(S::investigating), E::propose_resolution, justified).state.justified);
  const auto o = step(in(S::investigating), E::propose_resolution, unjustified);
  CHECK(o.state.main == S::resolution_proposed);
  CHECK_FALSE(o.state.justified);
}

TEST_CASE("the customer accepts a resolution, or rejects it and the investigation goes on") {
  CHECK(moves(S::resolution_proposed, E::customer_accepts) == S::resolution_agreed);
  CHECK(moves(S::resolution_proposed, E::customer_rejects) == S::investigating);
}

TEST_CASE("the written final response can follow the investigation, a proposal or an agreement") {
  CHECK(moves(S::investigating, E::send_response) == S::responded);
  CHECK(moves(S::resolution_proposed, E::send_response) == S::responded);
  CHECK(moves(S::resolution_agreed, E::send_response) == S::responded);
}

TEST_CASE("satisfaction is verified after the response, and the complaint closes") {
  lifecycle_context unhappy;
  unhappy.satisfied = false;
  const auto o = step(in(S::responded), E::verify_satisfaction, unhappy);
  CHECK(o.state.main == S::verifying_satisfaction);
  CHECK_FALSE(o.state.satisfied);
  CHECK(moves(S::verifying_satisfaction, E::close) == S::closed);
  CHECK(moves(S::responded, E::close) == S::closed);
}

TEST_CASE("a closed complaint can be reopened, back to investigation") {
  CHECK(moves(S::closed, E::reopen) == S::investigating);
}

TEST_CASE("a customer can withdraw a complaint from any open state") {
  for (S s : open_states) CHECK(moves(s, E::withdraw) == S::withdrawn);
}

TEST_CASE("a withdrawn complaint accepts no further events") {
  for (int e = 0; e < lifecycle_event_count; ++e) {
    const std::string message = refused(in(S::withdrawn), static_cast<E>(e));
    CHECK(message == "a withdrawn complaint accepts no further events: '" +
                         std::string(to_string(static_cast<E>(e))) + "' is not allowed in state 'withdrawn'");
  }
}

TEST_CASE("a closed complaint cannot be withdrawn, reopened twice, or escalated") {
  CHECK(refused(in(S::closed), E::withdraw) ==
        "'withdraw' is not allowed in state 'closed' (allowed: 'reopen', 'plan_action')");
  CHECK(refused(in(S::closed), E::escalate) ==
        "'escalate' refused in state 'closed': the complaint is not open");
  CHECK(refused(in(S::investigating), E::reopen).find("'reopen' is not allowed in state 'investigating'") == 0);
}

TEST_CASE("the escalation level counts to 255 and refuses the 256th escalation, changing nothing") {
  lifecycle_state s = in(S::investigating);
  s.escalation_level = 254;
  const auto to_255 = step(s, E::escalate);
  REQUIRE(to_255.accepted);
  CHECK(to_255.state.escalation_level == 255);
  const auto to_256 = step(to_255.state, E::escalate);
  CHECK_FALSE(to_256.accepted);
  CHECK(to_256.refused_by_guard);
  CHECK(to_256.rejection == "'escalate' refused in state 'investigating': the escalation level is at its limit of 255");
  CHECK(to_256.state == to_255.state);
}

TEST_CASE("steps cannot be skipped") {
  CHECK(refused(in(S::received), E::register_complaint) ==
        "'register' is not allowed in state 'received' (allowed: 'acknowledge', 'withdraw', "
        "'plan_action', 'escalate', 'assign', 'promise', 'contact_customer', 'reclassify', 'send_holding_response')");
  refused(in(S::received), E::send_response);
  refused(in(S::registered), E::propose_resolution);
  refused(in(S::investigating), E::customer_accepts);
  refused(in(S::awaiting_customer), E::send_response);
  refused(in(S::resolution_agreed), E::close);
  refused(in(S::responded), E::acknowledge);
  refused(in(S::verifying_satisfaction), E::reopen);
}

TEST_CASE("escalation, assignment, promises and contacts change data, not the state") {
  for (S s : open_states) {
    lifecycle_context to_role_3;
    to_role_3.owner = 3;
    auto o = step(in(s), E::escalate);
    CHECK(o.accepted);
    CHECK(o.state.main == s);
    CHECK(o.state.escalation_level == 1);
    o = step(in(s), E::assign, to_role_3);
    CHECK(o.state.owner == 3);
    CHECK(o.state.main == s);
    CHECK(step(in(s), E::promise).state.main == s);
    CHECK(step(in(s), E::contact_customer).state.main == s);
    o = step(in(s), E::send_holding_response);
    CHECK(o.state.main == s);
    CHECK(o.state.holding_response_sent);
  }
  CHECK(refused(in(S::investigating), E::assign) == "'assign' refused in state 'investigating': it needs the new owner");
}

TEST_CASE("a corrective action plan is planned, done and verified, even after closing") {
  const auto planned = after({E::acknowledge, E::register_complaint, E::start_investigation, E::plan_action});
  CHECK(planned.plan == P::planned);
  CHECK(refused(planned, E::verify_action) ==
        "'verify_action' is not allowed while the corrective action plan is 'planned'");
  const auto done = step(planned, E::complete_action).state;
  CHECK(done.plan == P::done);
  CHECK(step(done, E::verify_action).state.plan == P::verified);
  // It does not dissolve when the customer is happy: the plan carries on after closing.
  lifecycle_rules lenient;
  lenient.may_close_with_unverified_plan = true;
  const auto closed = after({E::acknowledge, E::register_complaint, E::start_investigation, E::plan_action,
                             E::send_response, E::close},
                            lenient);
  CHECK(closed.main == S::closed);
  CHECK(step(closed, E::complete_action).state.plan == P::done);
  // A verified plan can be followed by a new one.
  CHECK(step(in(S::investigating, P::verified), E::plan_action).state.plan == P::planned);
}

TEST_CASE("a complaint may not close with an unverified plan unless the policy allows it") {
  CHECK(refused(in(S::responded, P::planned), E::close) ==
        "'close' refused in state 'responded': the corrective action plan is planned, not verified, "
        "and the policy requires it verified");
  refused(in(S::verifying_satisfaction, P::done), E::close);
  lifecycle_rules lenient;
  lenient.may_close_with_unverified_plan = true;
  CHECK(moves(S::responded, E::close, lenient) == S::closed);
  CHECK(step(in(S::responded, P::verified), E::close).accepted);
}

TEST_CASE("a stored state is restored exactly, whichever state it holds") {
  // Every (main, plan) pair survives the round trip through the machine on a data event.
  for (int m = 0; m < complaint_state_count; ++m)
    for (int p = 0; p < action_plan_state_count; ++p) {
      lifecycle_state s = in(static_cast<S>(m), static_cast<P>(p));
      s.owner = 7;
      s.escalation_level = 2;
      const auto o = step(s, E::contact_customer);
      if (static_cast<S>(m) == S::closed || static_cast<S>(m) == S::withdrawn) {
        CHECK_FALSE(o.accepted);
        continue;
      }
      REQUIRE(o.accepted);
      CHECK(o.state == s);
    }
}

TEST_CASE("the stored state is 8 bytes and trivially copyable") {
  STATIC_REQUIRE(sizeof(lifecycle_state) == 8);
  STATIC_REQUIRE(std::is_trivially_copyable<lifecycle_state>::value);
}

TEST_CASE("names are the public contract and parse back") {
  for (int s = 0; s < complaint_state_count; ++s)
    CHECK(parse_complaint_state(to_string(static_cast<S>(s))) == static_cast<S>(s));
  for (int p = 0; p < action_plan_state_count; ++p)
    CHECK(parse_action_plan_state(to_string(static_cast<P>(p))) == static_cast<P>(p));
  for (int e = 0; e < lifecycle_event_count; ++e)
    CHECK(parse_lifecycle_event(to_string(static_cast<E>(e))) == static_cast<E>(e));
  CHECK(to_string(E::register_complaint) == "register");
  CHECK_FALSE(parse_lifecycle_event("registered").has_value());
  CHECK(to_string(S::awaiting_customer) == "awaiting_customer");
}

TEST_CASE("the transition list and diagrams come from the table") {
  const auto& rows = lifecycle_transitions();
  CHECK(rows.size() == 35);
  CHECK(rows.front().from == S::received);
  CHECK(rows.front().from_name() == "received");
  CHECK(rows.front().event == E::acknowledge);
  CHECK(rows.front().to == S::acknowledged);
  CHECK(rows.front().to_name() == "acknowledged");
  // Every row's transition is accepted by step() (guards permitting, with lenient rules).
  lifecycle_rules lenient;
  lenient.may_close_with_unverified_plan = true;
  for (const auto& row : rows) {
    if (row.where != lifecycle_transition::region::complaint) continue;
    const auto o = step(in(row.from), row.event, {}, lenient);
    CHECK(o.accepted);
    CHECK(o.state.main == row.to);
  }
  const std::string mermaid = lifecycle_diagram("mermaid");
  CHECK(mermaid.find("stateDiagram-v2") == 0);
  CHECK(mermaid.find("    closed --> investigating : reopen\n") != std::string::npos);
  CHECK(lifecycle_diagram("dot").find("resolution_proposed -> investigating [label=\"customer_rejects\"];") !=
        std::string::npos);
  CHECK_THROWS_WITH(lifecycle_diagram("svg"), "unknown diagram format 'svg': expected \"dot\" or \"mermaid\"");
}

TEST_CASE("a rejected event leaves the state bit-identical, over random event sequences") {
  std::mt19937_64 random(20261124);
  lifecycle_rules rules;
  std::size_t rejections = 0;
  for (int sequence = 0; sequence < 100000; ++sequence) {
    lifecycle_state s;
    rules.may_close_with_unverified_plan = (sequence % 3) == 0;
    rules.first_contact_may_skip_registration = (sequence % 2) == 0;
    for (int i = 0; i < 12; ++i) {
      const auto e = static_cast<E>(random() % lifecycle_event_count);
      lifecycle_context context;
      context.justified = (random() & 1) != 0;
      context.owner = static_cast<std::uint8_t>(random() % 4);
      lifecycle_state before;
      std::memcpy(&before, &s, sizeof s);
      const auto o = step(s, e, context, rules);
      if (!o.accepted) {
        ++rejections;
        REQUIRE(std::memcmp(&before, &s, sizeof s) == 0);
        REQUIRE(std::memcmp(&o.state, &s, sizeof s) == 0);
      } else {
        s = o.state;
      }
    }
  }
  CHECK(rejections > 500000);  // most random events are illegal: the property was exercised
}
