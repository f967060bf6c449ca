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
      default_zone_(current.calendar(current->default_calendar).zone()) {}

void session::add_policy(policy p, bool make_current) {
  (void)checked(engine_.add_policy(p, make_current));
  if (make_current) {
    default_zone_ = p.calendar(p->default_calendar).zone();
    current_ = std::move(p);
  }
}

const time_zone& session::zone_of(std::string_view id) const {
  const business_calendar* calendar = engine_.calendar(id);
  return calendar ? calendar->zone() : default_zone_;
}

json session::actions(const std::vector<action>& fired) const {
  json out = json::array();
  for (const action& a : fired) out.push_back(value_of(a, zone_of(a.complaint)));
  return out;
}

json session::open(const json& j) {
  const complaint_intake intake = intake_from(j);
  return actions(checked(engine_.open(intake)));
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
  return value_of(checked(engine_.status(id, now)), zone_of(id), now);
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

std::vector<action> session::restore_actions(const complaint_snapshot& s) { return checked(engine_.restore(s)); }

std::optional<std::size_t> session::event_count(std::string_view id) const {
  const auto events = engine_.history(id);
  if (!events) return std::nullopt;
  return events->size();
}

json session::restore(const json& j) {
  const complaint_snapshot s = snapshot_from(j);
  return actions(checked(engine_.restore(s)));
}

json session::migrate(std::string_view id, std::string_view version) {
  return actions(checked(engine_.migrate(id, version)));
}

json session::reload_policy(policy p) {
  json out = actions(checked(engine_.reload_policy(p)));
  if (current_.version() == p.version()) {
    default_zone_ = p.calendar(p->default_calendar).zone();
    current_ = std::move(p);
  }
  return out;
}

bool session::erase(std::string_view id) {
  return engine_.erase(id);
}

}  // namespace redress::wire
