// Responsibility: who owns a complaint and each of its clocks, changes of owner, and the ledger
// of working time per owner role.
#ifndef REDRESS_SRC_ENGINE_RESPONSIBILITY_HPP
#define REDRESS_SRC_ENGINE_RESPONSIBILITY_HPP

#include <cstdint>
#include <string>

#include "engine/applied_event.hpp"
#include "engine/complaint.hpp"
#include "redress/policy.hpp"

namespace redress::detail {

// The role the policy makes owner of the complaint's kind (and region), or "" when none.
std::string kind_owner(const policy_definition& d, const complaint_record& c);
// The role responsible for a clock: its target's owner, the corrective action's, the complaint's,
// or (before anyone owns the complaint) whoever will own its kind.
std::string clock_owner(const policy_definition& d, const complaint_record& c, const clock_slot& k);
// Makes `role` the owner from t: the ledger books the time of the one before (the working time
// the calendar can count), and the lifecycle records the new owner.
void change_owner(const policy& p, complaint_record& c, const std::string& role, std::int64_t t);
// Books the owner's working time up to t in the ledger and stops counting (closed, withdrawn).
// Throws: redress::error beyond the calendar's range.
void close_ledger(complaint_record& c, std::int64_t t);

// Whether the event gives the complaint its owner by hand: an assign, or a registration that
// names a declared role (else registration gives the kind's owner).
bool owner_given_by_hand(const policy& p, const complaint_event& e);
// The event's owner: the policy's on registration (or the role the event names), assign's
// role; an assignment action when it changes.
void assign_owner(applied_event& x);
// Reopened: the owner's time counts again.
void reopen_ledger(applied_event& x);

}  // namespace redress::detail

#endif
