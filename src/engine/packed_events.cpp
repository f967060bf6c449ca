// The packed events (packed_events.hpp).
#include "engine/packed_events.hpp"

#include <cstring>

#include "engine/packed_text.hpp"

namespace redress::detail {
namespace {

// The strings of an event, in the order they are packed.
constexpr std::string complaint_event::*strings[] = {
    &complaint_event::actor,       &complaint_event::reason,       &complaint_event::role,
    &complaint_event::action_what, &complaint_event::action_owner, &complaint_event::action_verifier};
constexpr std::size_t string_count = sizeof strings / sizeof strings[0];
constexpr std::uint16_t justified_bit = 1u << string_count;
constexpr std::uint16_t unsatisfied_bit = justified_bit << 1;
constexpr std::uint16_t promised_bit = justified_bit << 2;
constexpr std::uint16_t action_due_bit = justified_bit << 3;
constexpr std::uint16_t attributes_bit = justified_bit << 4;  // reclassify: their count, then each key and value
constexpr std::uint16_t logged_at_bit = justified_bit << 5;
static_assert(string_count + 6 <= 16, "the flags fit in packed::fields");

void put_instant(std::string& out, instant t) {
  const std::int64_t seconds = t.unix_seconds();
  char bytes[sizeof seconds];
  std::memcpy(bytes, &seconds, sizeof seconds);
  out.append(bytes, sizeof bytes);
}

instant get_instant(const std::string& in, std::size_t& at) {
  std::int64_t seconds = 0;
  std::memcpy(&seconds, in.data() + at, sizeof seconds);
  at += sizeof seconds;
  return instant::from_unix(seconds);
}

}  // namespace

void packed_events::push_back(const complaint_event& e) {
  packed p;
  p.at = e.at.unix_seconds();
  p.what = e.what;
  for (std::size_t i = 0; i < string_count; ++i) {
    const std::string& text = e.*strings[i];
    if (text.empty()) continue;
    p.fields = static_cast<std::uint16_t>(p.fields | (1u << i));
    packed_text::put(text_, text);
  }
  if (e.justified) p.fields |= justified_bit;
  if (!e.satisfied) p.fields |= unsatisfied_bit;
  if (e.promised) {
    p.fields |= promised_bit;
    put_instant(text_, *e.promised);
  }
  if (e.action_due) {
    p.fields |= action_due_bit;
    put_instant(text_, *e.action_due);
  }
  if (!e.attributes.empty()) {
    p.fields |= attributes_bit;
    packed_text::put(text_, std::to_string(e.attributes.size()));
    for (const auto& [key, value] : e.attributes) {
      packed_text::put(text_, key);
      packed_text::put(text_, value);
    }
  }
  if (e.logged_at) {
    p.fields |= logged_at_bit;
    put_instant(text_, *e.logged_at);
  }
  if (events_.empty()) events_.reserve(4);  // a complaint's first events, without regrowing at each
  events_.push_back(p);
}

std::vector<complaint_event> packed_events::unpack() const {
  std::vector<complaint_event> out;
  out.reserve(events_.size());
  std::size_t at = 0;
  for (const packed& p : events_) {
    complaint_event& e = out.emplace_back();
    e.what = p.what;
    e.at = instant::from_unix(p.at);
    for (std::size_t i = 0; i < string_count; ++i)
      if (p.fields & (1u << i)) e.*strings[i] = std::string(packed_text::get(text_, at));
    e.justified = (p.fields & justified_bit) != 0;
    e.satisfied = (p.fields & unsatisfied_bit) == 0;
    if (p.fields & promised_bit) e.promised = get_instant(text_, at);
    if (p.fields & action_due_bit) e.action_due = get_instant(text_, at);
    if (p.fields & attributes_bit) {
      const std::size_t n = std::stoul(std::string(packed_text::get(text_, at)));
      for (std::size_t i = 0; i < n; ++i) {
        std::string key(packed_text::get(text_, at));
        e.attributes.emplace(std::move(key), std::string(packed_text::get(text_, at)));
      }
    }
    if (p.fields & logged_at_bit) e.logged_at = get_instant(text_, at);
  }
  return out;
}

}  // namespace redress::detail
