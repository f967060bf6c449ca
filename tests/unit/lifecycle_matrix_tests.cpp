// Every (state, event) pair of the complaint lifecycle, in the domain's words. The expected matrix
// below is written by hand from README's lifecycle section and the domain notes, not read from the
// transition table: each complaint state lists what it accepts and where it goes; everything else
// is refused, the stored state is left bit-identical, and the rejection names the state and the
// event. The corrective action plan and the two policy rules get their own explicit matrices.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "redress/lifecycle.hpp"

using namespace redress;
using E = lifecycle_event;
using S = complaint_state;
using P = action_plan_state;

namespace {

struct goes {
  E event;
  S to;  // equal to the row's state: accepted, the complaint stays where it is
};
struct row {
  S state;
  std::vector<goes> accepts;  // the complaint's own steps
  bool open;                  // also takes escalate, assign, promise, contact_customer,
                              // reclassify and send_holding_response, and stays where it is
  bool plan_carries_on;       // plan_action, complete_action, verify_action follow the plan
};

// The expected lifecycle, under the default rules (may_close_with_unverified_plan = false,
// first_contact_may_skip_registration = true) and with no corrective action required.
const std::vector<row> matrix = {
    {S::received, {{E::acknowledge, S::acknowledged}, {E::withdraw, S::withdrawn}}, true, true},
    {S::acknowledged,
     {{E::register_complaint, S::registered}, {E::send_response, S::responded},  // first contact
      {E::withdraw, S::withdrawn}},
     true, true},
    {S::registered, {{E::start_investigation, S::investigating}, {E::withdraw, S::withdrawn}}, true, true},
    {S::investigating,
     {{E::request_information, S::awaiting_customer}, {E::propose_resolution, S::resolution_proposed},
      {E::send_response, S::responded}, {E::withdraw, S::withdrawn}},
     true, true},
    {S::awaiting_customer, {{E::customer_replied, S::investigating}, {E::withdraw, S::withdrawn}}, true, true},
    {S::resolution_proposed,
     {{E::customer_accepts, S::resolution_agreed}, {E::customer_rejects, S::investigating},
      {E::send_response, S::responded}, {E::withdraw, S::withdrawn}},
     true, true},
    {S::resolution_agreed, {{E::send_response, S::responded}, {E::withdraw, S::withdrawn}}, true, true},
    {S::responded,
     {{E::verify_satisfaction, S::verifying_satisfaction}, {E::close, S::closed}, {E::withdraw, S::withdrawn}},
     true, true},
    {S::verifying_satisfaction, {{E::close, S::closed}, {E::withdraw, S::withdrawn}}, true, true},
    {S::closed, {{E::reopen, S::investigating}}, false, true},  // the plan does not dissolve on closing
    {S::withdrawn, {}, false, false},                            // accepts no further events
};

const E tracking_events[] = {E::escalate, E::assign, E::promise, E::contact_customer, E::reclassify,
                             E::send_holding_response};

// The corrective action plan: who does what by when, then who verifies it; a verified plan may be
// followed by a new one.
struct plan_goes {
  P from;
  E event;
  P to;
};
const plan_goes plan_steps[] = {{P::none_required, E::plan_action, P::planned},
                                {P::planned, E::complete_action, P::done},
                                {P::done, E::verify_action, P::verified},
                                {P::verified, E::plan_action, P::planned}};
const E plan_events[] = {E::plan_action, E::complete_action, E::verify_action};
const P plans[] = {P::none_required, P::planned, P::done, P::verified};

bool is_plan_event(E e) { return e == E::plan_action || e == E::complete_action || e == E::verify_action; }

std::string a(S s) {
  const std::string name(to_string(s));
  return (std::string("aeiou").find(name[0]) != std::string::npos ? "an " : "a ") + name;
}
std::string quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

// What the events driving a complaint carry, and what the event under test carries (a different
// owner, so that assign is seen to change it).
lifecycle_context driving() {
  lifecycle_context c;
  c.justified = true;
  c.satisfied = true;
  c.owner = 3;
  return c;
}
lifecycle_context under_test() {
  lifecycle_context c = driving();
  c.owner = 5;
  return c;
}

// How a complaint reaches each state from received, through legal events only. Every path starts
// by assigning and escalating it, so the data beside the states is not all zero.
std::vector<E> path_to(S s) {
  std::vector<E> p = {E::assign, E::escalate};
  auto add = [&p](std::initializer_list<E> more) { p.insert(p.end(), more); };
  const auto investigating = {E::acknowledge, E::register_complaint, E::start_investigation};
  switch (s) {
    case S::received: break;
    case S::acknowledged: add({E::acknowledge}); break;
    case S::registered: add({E::acknowledge, E::register_complaint}); break;
    case S::investigating: add(investigating); break;
    case S::awaiting_customer: add(investigating); add({E::request_information}); break;
    case S::resolution_proposed: add(investigating); add({E::propose_resolution}); break;
    case S::resolution_agreed: add(investigating); add({E::propose_resolution, E::customer_accepts}); break;
    case S::responded:
      add(investigating);
      add({E::propose_resolution, E::customer_accepts, E::send_response});
      break;
    case S::verifying_satisfaction:
      add(investigating);
      add({E::propose_resolution, E::customer_accepts, E::send_response, E::verify_satisfaction});
      break;
    case S::closed:
      add(investigating);
      add({E::propose_resolution, E::customer_accepts, E::send_response, E::verify_satisfaction, E::close});
      break;
    case S::withdrawn: add(investigating); add({E::withdraw}); break;
  }
  return p;
}

// The plan is driven first, while the complaint is still received; the complaint then follows its
// path under lenient rules (may_close_with_unverified_plan = true) so that it can close with the plan
// still open.
lifecycle_state reach(S s, P plan = P::none_required) {
  std::vector<E> events;
  if (plan != P::none_required) events.push_back(E::plan_action);
  if (plan == P::done || plan == P::verified) events.push_back(E::complete_action);
  if (plan == P::verified) events.push_back(E::verify_action);
  for (E e : path_to(s)) events.push_back(e);
  lifecycle_rules lenient;
  lenient.may_close_with_unverified_plan = true;
  lifecycle_state state;
  for (E e : events) {
    const auto o = step(state, e, driving(), lenient);
    INFO("driving to " << to_string(s) << ": " << to_string(e) << " in " << to_string(state.main) << ": "
                       << o.rejection);
    REQUIRE(o.accepted);
    state = o.state;
  }
  REQUIRE(state.main == s);
  REQUIRE(state.plan == plan);
  return state;
}

// What an accepted event does to the data beside the states (lifecycle.hpp's comments).
lifecycle_state expected_after(lifecycle_state s, E e, S to, const lifecycle_context& c) {
  if (e == E::escalate) ++s.escalation_level;
  if (e == E::assign) s.owner = c.owner;
  if (e == E::send_holding_response) s.holding_response_sent = true;
  if (e == E::propose_resolution) s.justified = c.justified;
  if (e == E::verify_satisfaction) s.satisfied = c.satisfied;
  if (e == E::send_response && s.main == S::acknowledged) s.first_contact = true;
  s.main = to;
  return s;
}

void check_accepted(const lifecycle_state& before, E e, const lifecycle_state& expected,
                    const lifecycle_rules& rules = {}) {
  const auto o = step(before, e, under_test(), rules);
  INFO(o.rejection);
  REQUIRE(o.accepted);
  CHECK(o.state == expected);
  CHECK(o.main_changed == (expected.main != before.main));
  CHECK(o.plan_changed == (expected.plan != before.plan));
}

// Refused: nothing changes, bit for bit, and the rejection names `state_name` and the event.
step_outcome check_refused(const lifecycle_state& before, E e, std::string_view state_name,
                           const lifecycle_rules& rules = {}, const lifecycle_context& context = under_test()) {
  lifecycle_state copy;
  std::memcpy(&copy, &before, sizeof copy);
  const auto o = step(before, e, context, rules);
  INFO(o.rejection);
  CHECK_FALSE(o.accepted);
  CHECK(o.state == before);
  CHECK(std::memcmp(&o.state, &copy, sizeof copy) == 0);
  CHECK_FALSE(o.main_changed);
  CHECK_FALSE(o.plan_changed);
  CHECK(o.rejection.find(quoted(state_name)) != std::string::npos);
  CHECK(o.rejection.find(quoted(to_string(e))) != std::string::npos);
  return o;
}

}  // namespace

TEST_CASE("the matrix has one row per complaint state, in the enum's order") {
  REQUIRE(matrix.size() == static_cast<std::size_t>(complaint_state_count));
  for (std::size_t i = 0; i < matrix.size(); ++i) CHECK(static_cast<std::size_t>(matrix[i].state) == i);
}

TEST_CASE("each complaint state accepts the events of its row and refuses every other one") {
  for (const row& r : matrix)
    for (int i = 0; i < lifecycle_event_count; ++i) {
      const E e = static_cast<E>(i);
      if (is_plan_event(e)) continue;  // the plan's own matrix, below
      const goes* move = nullptr;
      for (const goes& g : r.accepts)
        if (g.event == e) move = &g;
      bool stays = false;
      for (E t : tracking_events) stays = stays || (r.open && t == e);
      if (move) {
        DYNAMIC_SECTION(a(r.state) << " complaint accepts " << quoted(to_string(e)) << " and goes to "
                                   << to_string(move->to)) {
          const auto before = reach(r.state);
          check_accepted(before, e, expected_after(before, e, move->to, under_test()));
        }
      } else if (stays) {
        DYNAMIC_SECTION(a(r.state) << " complaint accepts " << quoted(to_string(e)) << " and stays "
                                   << to_string(r.state)) {
          const auto before = reach(r.state);
          check_accepted(before, e, expected_after(before, e, r.state, under_test()));
        }
      } else {
        DYNAMIC_SECTION(a(r.state) << " complaint refuses " << quoted(to_string(e))) {
          check_refused(reach(r.state), e, to_string(r.state));
        }
      }
    }
}

TEST_CASE("the corrective action plan follows its own steps in every state but withdrawn") {
  for (const row& r : matrix)
    for (P plan : plans)
      for (E e : plan_events) {
        const plan_goes* move = nullptr;
        for (const plan_goes& g : plan_steps)
          if (r.plan_carries_on && g.from == plan && g.event == e) move = &g;
        if (move) {
          DYNAMIC_SECTION(a(r.state) << " complaint with a " << to_string(plan) << " plan accepts "
                                     << quoted(to_string(e)) << " and its plan becomes " << to_string(move->to)) {
            auto expected = reach(r.state, plan);
            const auto before = expected;
            expected.plan = move->to;
            check_accepted(before, e, expected);
          }
        } else {
          // A plan event is refused by the plan ("while the corrective action plan is 'planned'"),
          // or, once withdrawn, by the complaint: the rejection names the state that refused it.
          DYNAMIC_SECTION(a(r.state) << " complaint with a " << to_string(plan) << " plan refuses "
                                     << quoted(to_string(e))) {
            check_refused(reach(r.state, plan), e,
                          r.plan_carries_on ? to_string(plan) : to_string(r.state));
          }
        }
      }
}

TEST_CASE("a complaint closes with an unverified plan only when the policy allows it") {
  for (S s : {S::responded, S::verifying_satisfaction})
    for (P plan : plans)
      for (bool may : {false, true}) {
        lifecycle_rules rules;
        rules.may_close_with_unverified_plan = may;
        const bool settled = plan == P::none_required || plan == P::verified;
        DYNAMIC_SECTION(a(s) << " complaint with a " << to_string(plan) << " plan "
                             << (settled || may ? "accepts 'close' and goes to closed" : "refuses 'close'")
                             << " when may_close_with_unverified_plan = " << std::boolalpha << may) {
          const auto before = reach(s, plan);
          if (settled || may) {
            check_accepted(before, E::close, expected_after(before, E::close, S::closed, under_test()), rules);
          } else {
            CHECK(check_refused(before, E::close, to_string(s), rules).refused_by_guard);
          }
        }
      }
  // The rule lets a plan stay open; it does not let a complaint close from anywhere else.
  lifecycle_rules lenient;
  lenient.may_close_with_unverified_plan = true;
  for (const row& r : matrix) {
    if (r.state == S::responded || r.state == S::verifying_satisfaction) continue;
    DYNAMIC_SECTION(a(r.state) << " complaint refuses 'close' even when may_close_with_unverified_plan = true") {
      check_refused(reach(r.state), E::close, to_string(r.state), lenient);
    }
  }
}

TEST_CASE("a complaint answered on first contact skips registration only when the policy allows it") {
  for (bool may : {true, false}) {
    lifecycle_rules rules;
    rules.first_contact_may_skip_registration = may;
    DYNAMIC_SECTION("an acknowledged complaint " << (may ? "accepts 'send_response' and goes to responded"
                                                         : "refuses 'send_response'")
                                                 << " when first_contact_may_skip_registration = "
                                                 << std::boolalpha << may) {
      const auto before = reach(S::acknowledged);
      if (may) {
        check_accepted(before, E::send_response,
                       expected_after(before, E::send_response, S::responded, under_test()), rules);
      } else {
        CHECK(check_refused(before, E::send_response, "acknowledged", rules).refused_by_guard);
      }
    }
  }
}

TEST_CASE("an open complaint refuses 'assign' without a new owner") {
  lifecycle_context nobody = under_test();
  nobody.owner = 0;
  for (const row& r : matrix) {
    if (!r.open) continue;
    DYNAMIC_SECTION(a(r.state) << " complaint refuses 'assign' without a new owner") {
      check_refused(reach(r.state), E::assign, to_string(r.state), {}, nobody);
    }
  }
}
