// The engine in the wire format (session.hpp).
#include "wire/session.hpp"

namespace redress::wire {

namespace {

template <typename T>
T checked(outcome<T> o) {
  if (!o) throw engine_failure(o.error());
  return std::move(o).value();
}

}  // namespace

session::session(policy current)
    : engine_(current),
      current_(current),
      default_zone_(current.calendar(current->default_calendar).zone()) {
  versions_.insert_or_assign(current.version(), current);
}

void session::add_policy(policy p, bool make_current) {
  engine_.add_policy(p, make_current);
  versions_.insert_or_assign(p.version(), p);
  if (make_current) {
    default_zone_ = p.calendar(p->default_calendar).zone();
    current_ = std::move(p);
  }
}

void session::remember(const std::string& id, const std::string& version, const complaint_attributes& attributes) {
  const auto p = versions_.find(version);
  const policy& pol = p == versions_.end() ? current_ : p->second;
  zones_.insert_or_assign(id, pol.calendar_for(attributes).zone());
}

const time_zone& session::zone_of(std::string_view id) const {
  const auto it = zones_.find(id);
  return it == zones_.end() ? default_zone_ : it->second;
}

json session::actions(const std::vector<action>& fired) const {
  json out = json::array();
  for (const action& a : fired) out.push_back(value_of(a, zone_of(a.complaint)));
  return out;
}

json session::open(const json& j) {
  const complaint_intake intake = intake_from(j);
  const std::vector<action> fired = checked(engine_.open(intake));
  remember(intake.id, current_.version(), intake.attributes);
  return actions(fired);
}

json session::apply(std::string_view id, const json& j) { return actions(apply_actions(id, event_from(j))); }

std::vector<action> session::apply_actions(std::string_view id, const complaint_event& e) {
  return checked(engine_.apply(id, e));
}

json session::advance(instant now) { return actions(advance_actions(now)); }

std::vector<action> session::advance_actions(instant now) { return engine_.advance(now); }

json session::next_wakeup() const {
  const auto t = engine_.next_wakeup();
  return {{"next_wakeup", t ? json(format_rfc3339(*t, default_zone_)) : json(nullptr)}};
}

json session::status(std::string_view id, instant now) const {
  const complaint_status s = checked(engine_.status(id, now));
  const auto p = versions_.find(s.policy_version);
  const time_zone& zone =
      p == versions_.end() ? zone_of(id) : p->second.calendar(s.calendar).zone();
  return value_of(s, zone, now);
}

json session::history(std::string_view id) const {
  // One look-up: the snapshot holds the intake and the events (engine::history and
  // engine::intake would each find the complaint and copy its part).
  const complaint_snapshot s = checked(engine_.snapshot(id));
  const time_zone& zone = zone_of(id);
  json list = json::array();
  for (const complaint_event& e : s.events) list.push_back(value_of(e, zone));
  return {{"intake", value_of(s.intake, zone)}, {"events", list}};
}

json session::snapshot(std::string_view id) const {
  return value_of(checked(engine_.snapshot(id)), zone_of(id));
}

json session::restore(const json& j) {
  const complaint_snapshot s = snapshot_from(j);
  const std::vector<action> fired = checked(engine_.restore(s));
  remember(s.intake.id, s.policy_version, s.intake.attributes);
  return actions(fired);
}

json session::migrate(std::string_view id, std::string_view version) {
  const std::vector<action> fired = checked(engine_.migrate(id, version));
  if (const auto intake = engine_.intake(id)) remember(intake->id, std::string(version), intake->attributes);
  return actions(fired);
}

bool session::erase(std::string_view id) {
  const bool erased = engine_.erase(id);
  if (const auto it = zones_.find(id); it != zones_.end()) zones_.erase(it);
  return erased;
}

}  // namespace redress::wire
