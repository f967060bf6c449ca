// Responsibility (responsibility.hpp): owners and the ledger.
#include "engine/responsibility.hpp"

#include "engine/actions.hpp"
#include "engine/lifecycle_adapter.hpp"

namespace redress::detail {
namespace {

// Adds the owner's working time from owner_since to t to the ledger.
void book(complaint_record& c, std::int64_t t) {
  c.log().ledger[c.owner] +=
      elapsed_working_time(*c.calendar, instant::from_unix(c.owner_since), instant::from_unix(t)).count();
}

}  // namespace

std::string kind_owner(const policy_definition& d, const complaint_record& c) {
  return c.kind_owner >= 0 ? d.roles[static_cast<std::size_t>(c.kind_owner)].id : std::string();
}

std::string clock_owner(const policy_definition& d, const complaint_record& c, const clock_slot& k) {
  if (k.origin == clock_origin::target && !d.targets[k.index].owner.empty()) return d.targets[k.index].owner;
  if (k.origin == clock_origin::corrective_action) return c.corrective_of(k).owner;
  if (!c.owner.empty()) return c.owner;
  return kind_owner(d, c);
}

void change_owner(const policy& p, complaint_record& c, const std::string& role, std::int64_t t) {
  if (role == c.owner) return;
  if (!c.owner.empty() && c.owner_since != no_instant) {
    try {
      book(c, t);
    } catch (const error&) {
      // Outside the calendar's range there is no working time to attribute.
    }
  }
  c.owner = role;
  c.owner_since = t;
  lifecycle_set_owner(c.state, p.role_index(role), p.definition().lifecycle);
}

void close_ledger(complaint_record& c, std::int64_t t) {
  if (c.owner.empty() || c.owner_since == no_instant) return;
  book(c, t);
  c.owner_since = no_instant;
}

bool owner_given_by_hand(const policy& p, const complaint_event& e) {
  if (e.what == lifecycle_event::assign) return true;
  return e.what == lifecycle_event::register_complaint && !e.role.empty() && p.role_index(e.role) >= 0;
}

void assign_owner(applied_event& x) {
  complaint_record& c = x.c;
  std::string new_owner;
  if (x.e.what == lifecycle_event::assign) new_owner = x.e.role;
  if (x.after_main == complaint_state::registered && x.before_main != complaint_state::registered && c.owner.empty())
    new_owner = owner_given_by_hand(x.p, x.e) ? x.e.role : kind_owner(x.d, c);
  if (new_owner.empty() || new_owner == c.owner) return;
  change_owner(x.p, c, new_owner, x.t);
  x.out.push_back(assignment_action(c, x.p, new_owner, x.e.at, c.log().events.size() + 1));
}

void reopen_ledger(applied_event& x) {
  if (x.before_main == complaint_state::closed && x.after_main != complaint_state::closed && !x.c.owner.empty())
    x.c.owner_since = x.t;
}

}  // namespace redress::detail
