// The complaint lifecycle as one Boost.MSM transition table (C++17 only: Boost 1.74's MSM does not
// compile as C++20). The table is the single source of truth: step() dispatches on it, and
// lifecycle_transitions() and the diagrams are generated from it.
//
// Lean machine: no message queue, no exceptions; a flyweight machine is rehydrated from the stored
// lifecycle_state for each step (about 50 bytes on the stack, no heap), so hosts store only our own
// stable enums, never MSM's generated state ids.
#define BOOST_BIND_GLOBAL_PLACEHOLDERS
#define BOOST_ALLOW_DEPRECATED_HEADERS
#include <boost/mpl/vector/vector40.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/back/tools.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <boost/serialization/base_object.hpp>

#include <array>
#include <limits>
#include <string>

#include "redress/error.hpp"
#include "redress/lifecycle.hpp"

namespace redress {

namespace {

constexpr std::array<std::string_view, complaint_state_count> state_names = {
    "received", "acknowledged", "registered", "investigating", "awaiting_customer",
    "resolution_proposed", "resolution_agreed", "responded", "verifying_satisfaction", "closed",
    "withdrawn"};
constexpr std::array<std::string_view, action_plan_state_count> plan_names = {
    "none_required", "planned", "done", "verified"};
constexpr std::array<std::string_view, lifecycle_event_count> event_names = {
    "acknowledge", "register", "start_investigation", "request_information", "customer_replied",
    "propose_resolution", "customer_accepts", "customer_rejects", "send_holding_response",
    "send_response", "verify_satisfaction", "close", "reopen", "withdraw", "escalate", "assign",
    "promise", "contact_customer", "plan_action", "complete_action", "verify_action", "reclassify"};

}  // namespace

std::string_view to_string(complaint_state s) noexcept {
  const auto i = static_cast<std::size_t>(s);
  return i < state_names.size() ? state_names[i] : std::string_view("?");
}
std::string_view to_string(action_plan_state s) noexcept {
  const auto i = static_cast<std::size_t>(s);
  return i < plan_names.size() ? plan_names[i] : std::string_view("?");
}
std::string_view to_string(lifecycle_event e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return i < event_names.size() ? event_names[i] : std::string_view("?");
}
std::optional<complaint_state> parse_complaint_state(std::string_view text) noexcept {
  for (std::size_t i = 0; i < state_names.size(); ++i)
    if (state_names[i] == text) return static_cast<complaint_state>(i);
  return std::nullopt;
}
std::optional<action_plan_state> parse_action_plan_state(std::string_view text) noexcept {
  for (std::size_t i = 0; i < plan_names.size(); ++i)
    if (plan_names[i] == text) return static_cast<action_plan_state>(i);
  return std::nullopt;
}
std::optional<lifecycle_event> parse_lifecycle_event(std::string_view text) noexcept {
  for (std::size_t i = 0; i < event_names.size(); ++i)
    if (event_names[i] == text) return static_cast<lifecycle_event>(i);
  return std::nullopt;
}

namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

// --- events -----------------------------------------------------------------------------------
template <lifecycle_event E>
struct event {
  static constexpr lifecycle_event id = E;
  const lifecycle_context* context;
};
using acknowledge = event<lifecycle_event::acknowledge>;
using register_complaint = event<lifecycle_event::register_complaint>;
using start_investigation = event<lifecycle_event::start_investigation>;
using request_information = event<lifecycle_event::request_information>;
using customer_replied = event<lifecycle_event::customer_replied>;
using propose_resolution = event<lifecycle_event::propose_resolution>;
using customer_accepts = event<lifecycle_event::customer_accepts>;
using customer_rejects = event<lifecycle_event::customer_rejects>;
using send_holding_response = event<lifecycle_event::send_holding_response>;
using send_response = event<lifecycle_event::send_response>;
using verify_satisfaction = event<lifecycle_event::verify_satisfaction>;
using close = event<lifecycle_event::close>;
using reopen = event<lifecycle_event::reopen>;
using withdraw = event<lifecycle_event::withdraw>;
using escalate = event<lifecycle_event::escalate>;
using assign = event<lifecycle_event::assign>;
using promise = event<lifecycle_event::promise>;
using contact_customer = event<lifecycle_event::contact_customer>;
using plan_action = event<lifecycle_event::plan_action>;
using complete_action = event<lifecycle_event::complete_action>;
using verify_action = event<lifecycle_event::verify_action>;
using reclassify = event<lifecycle_event::reclassify>;

// --- states -----------------------------------------------------------------------------------
struct flag_open {};         // the complaint is open: received ... verifying_satisfaction
struct flag_withdrawn {};    // accepts no further events
struct flag_plan_settled {}; // no plan, or a verified one: the complaint may close

// The flags' rules, written once: used by the states' flag lists and by flag_active() below.
constexpr bool is_open(complaint_state s) noexcept {
  return s != complaint_state::withdrawn && s != complaint_state::closed;
}
constexpr bool is_plan_settled(action_plan_state p) noexcept {
  return p == action_plan_state::none_required || p == action_plan_state::verified;
}

// Whether a flag is active in the machine's current states. Not MSM's is_flag_active(): it
// rewrites a function-local static table on every call, a data race between threads that step
// complaints at once (ThreadSanitizer, "threads sharing one policy"). Defined after the machine.
template <class Flag, class F>
bool flag_active(const F& fsm);

enum class region_kind { complaint, action_plan, data };

template <complaint_state S>
struct main_state : msm::front::state<> {
  static constexpr region_kind region = region_kind::complaint;
  static constexpr std::uint8_t value = static_cast<std::uint8_t>(S);
  static std::string_view name() { return to_string(S); }
  using flag_list = typename std::conditional<
      S == complaint_state::withdrawn, mpl::vector1<flag_withdrawn>,
      typename std::conditional<!is_open(S), mpl::vector0<>, mpl::vector1<flag_open>>::type>::type;
};

template <action_plan_state P>
struct plan_state : msm::front::state<> {
  static constexpr region_kind region = region_kind::action_plan;
  static constexpr std::uint8_t value = static_cast<std::uint8_t>(P);
  static std::string_view name() { return to_string(P); }
  using flag_list =
      typename std::conditional<is_plan_settled(P), mpl::vector1<flag_plan_settled>, mpl::vector0<>>::type;
};

struct tracking : msm::front::state<> {
  static constexpr region_kind region = region_kind::data;
  [[maybe_unused]] static constexpr std::uint8_t value = 0;
  static std::string_view name() { return "open"; }
};

using received = main_state<complaint_state::received>;
using acknowledged = main_state<complaint_state::acknowledged>;
using registered = main_state<complaint_state::registered>;
using investigating = main_state<complaint_state::investigating>;
using awaiting_customer = main_state<complaint_state::awaiting_customer>;
using resolution_proposed = main_state<complaint_state::resolution_proposed>;
using resolution_agreed = main_state<complaint_state::resolution_agreed>;
using responded = main_state<complaint_state::responded>;
using verifying_satisfaction = main_state<complaint_state::verifying_satisfaction>;
using closed = main_state<complaint_state::closed>;
using withdrawn = main_state<complaint_state::withdrawn>;
using none_required = plan_state<action_plan_state::none_required>;
using planned = plan_state<action_plan_state::planned>;
using done = plan_state<action_plan_state::done>;
using verified = plan_state<action_plan_state::verified>;

// --- the machine ------------------------------------------------------------------------------
struct lifecycle_def;
using machine = msm::back::state_machine<lifecycle_def>;

// Guards read only the rules value and the machine's own states and data.
struct first_contact_allowed {
  static std::string_view text() { return "first_contact_may_skip_registration"; }
  template <class E, class F, class S, class T>
  bool operator()(const E&, F& fsm, S&, T&) const;
};
struct plan_allows_close {
  static std::string_view text() { return "plan verified, or may_close_with_unverified_plan"; }
  template <class E, class F, class S, class T>
  bool operator()(const E&, F& fsm, S&, T&) const;
};
struct not_withdrawn {
  static std::string_view text() { return "complaint not withdrawn"; }
  template <class E, class F, class S, class T>
  bool operator()(const E&, F& fsm, S&, T&) const {
    return !flag_active<flag_withdrawn>(fsm);
  }
};
struct complaint_open {
  static std::string_view text() { return "complaint open"; }
  template <class E, class F, class S, class T>
  bool operator()(const E&, F& fsm, S&, T&) const {
    return flag_active<flag_open>(fsm);
  }
};
// The escalation level is 8 bits (lifecycle_state is 8 bytes): an escalation past 255 is refused.
constexpr int level_limit = std::numeric_limits<decltype(lifecycle_state::escalation_level)>::max();
struct open_below_level_limit {
  static std::string_view text() { return "complaint open, and its escalation level below 255"; }
  template <class E, class F, class S, class T>
  bool operator()(const E&, F& fsm, S&, T&) const {
    return flag_active<flag_open>(fsm) && fsm.data.escalation_level < level_limit;
  }
};
struct owner_given {
  static std::string_view text() { return "complaint open, and an owner given"; }
  template <class E, class F, class S, class T>
  bool operator()(const E& e, F& fsm, S&, T&) const {
    return flag_active<flag_open>(fsm) && e.context->owner != 0;
  }
};

// Actions record the data carried beside the states.
struct record_justified {
  template <class E, class F, class S, class T>
  void operator()(const E& e, F& fsm, S&, T&) const;
};
struct record_satisfied {
  template <class E, class F, class S, class T>
  void operator()(const E& e, F& fsm, S&, T&) const;
};
struct record_first_contact {
  template <class E, class F, class S, class T>
  void operator()(const E&, F& fsm, S&, T&) const;
};
struct record_holding_response {
  template <class E, class F, class S, class T>
  void operator()(const E&, F& fsm, S&, T&) const;
};
struct raise_level {
  template <class E, class F, class S, class T>
  void operator()(const E&, F& fsm, S&, T&) const;
};
struct change_owner {
  template <class E, class F, class S, class T>
  void operator()(const E& e, F& fsm, S&, T&) const;
};

struct lifecycle_def : msm::front::state_machine_def<lifecycle_def> {
  using no_message_queue = int;
  using no_exception_thrown = int;
  using initial_state = mpl::vector<received, none_required, tracking>;

  const lifecycle_rules* rules = nullptr;
  lifecycle_state data{};
  bool illegal = false;

  // clang-format off
  struct transition_table : mpl::vector35<
    //   source                  event                  target                  action                   guard
    // the complaint
    Row< received,               acknowledge,           acknowledged,           none,                    none                  >,
    Row< acknowledged,           register_complaint,    registered,             none,                    none                  >,
    Row< acknowledged,           send_response,         responded,              record_first_contact,    first_contact_allowed >,
    Row< registered,             start_investigation,   investigating,          none,                    none                  >,
    Row< investigating,          request_information,   awaiting_customer,      none,                    none                  >,
    Row< awaiting_customer,      customer_replied,      investigating,          none,                    none                  >,
    Row< investigating,          propose_resolution,    resolution_proposed,    record_justified,        none                  >,
    Row< resolution_proposed,    customer_accepts,      resolution_agreed,      none,                    none                  >,
    Row< resolution_proposed,    customer_rejects,      investigating,          none,                    none                  >,
    Row< investigating,          send_response,         responded,              none,                    none                  >,
    Row< resolution_proposed,    send_response,         responded,              none,                    none                  >,
    Row< resolution_agreed,      send_response,         responded,              none,                    none                  >,
    Row< responded,              verify_satisfaction,   verifying_satisfaction, record_satisfied,        none                  >,
    Row< responded,              close,                 closed,                 none,                    plan_allows_close     >,
    Row< verifying_satisfaction, close,                 closed,                 none,                    plan_allows_close     >,
    Row< closed,                 reopen,                investigating,          none,                    none                  >,
    Row< received,               withdraw,              withdrawn,              none,                    none                  >,
    Row< acknowledged,           withdraw,              withdrawn,              none,                    none                  >,
    Row< registered,             withdraw,              withdrawn,              none,                    none                  >,
    Row< investigating,          withdraw,              withdrawn,              none,                    none                  >,
    Row< awaiting_customer,      withdraw,              withdrawn,              none,                    none                  >,
    Row< resolution_proposed,    withdraw,              withdrawn,              none,                    none                  >,
    Row< resolution_agreed,      withdraw,              withdrawn,              none,                    none                  >,
    Row< responded,              withdraw,              withdrawn,              none,                    none                  >,
    Row< verifying_satisfaction, withdraw,              withdrawn,              none,                    none                  >,
    // the corrective action plan (carries on after closing; not once withdrawn)
    Row< none_required,          plan_action,           planned,                none,                    not_withdrawn         >,
    Row< verified,               plan_action,           planned,                none,                    not_withdrawn         >,
    Row< planned,                complete_action,       done,                   none,                    not_withdrawn         >,
    Row< done,                   verify_action,         verified,               none,                    not_withdrawn         >,
    // data beside the states: legal in every open state, the state does not change
    Row< tracking,               escalate,              none,                   raise_level,             open_below_level_limit >,
    Row< tracking,               assign,                none,                   change_owner,            owner_given           >,
    Row< tracking,               promise,               none,                   none,                    complaint_open        >,
    Row< tracking,               contact_customer,      none,                   none,                    complaint_open        >,
    Row< tracking,               reclassify,            none,                   none,                    complaint_open        >,
    Row< tracking,               send_holding_response, none,                   record_holding_response, complaint_open        >
  > {};
  // clang-format on

  template <class FSM, class Event>
  void no_transition(const Event&, FSM&, int) {
    illegal = true;  // the caller words the rejection; nothing changes
  }
  template <class FSM, class Event>
  void exception_caught(const Event&, FSM&, std::exception&) {}
};

template <class E, class F, class S, class T>
bool first_contact_allowed::operator()(const E&, F& fsm, S&, T&) const {
  return fsm.rules->first_contact_may_skip_registration;
}
template <class E, class F, class S, class T>
bool plan_allows_close::operator()(const E&, F& fsm, S&, T&) const {
  return flag_active<flag_plan_settled>(fsm) || fsm.rules->may_close_with_unverified_plan;
}
template <class E, class F, class S, class T>
void record_justified::operator()(const E& e, F& fsm, S&, T&) const {
  fsm.data.justified = e.context->justified;
}
template <class E, class F, class S, class T>
void record_satisfied::operator()(const E& e, F& fsm, S&, T&) const {
  fsm.data.satisfied = e.context->satisfied;
}
template <class E, class F, class S, class T>
void record_first_contact::operator()(const E&, F& fsm, S&, T&) const {
  fsm.data.first_contact = true;
}
template <class E, class F, class S, class T>
void record_holding_response::operator()(const E&, F& fsm, S&, T&) const {
  fsm.data.holding_response_sent = true;
}
template <class E, class F, class S, class T>
void raise_level::operator()(const E&, F& fsm, S&, T&) const {
  ++fsm.data.escalation_level;  // below level_limit: the guard says so
}
template <class E, class F, class S, class T>
void change_owner::operator()(const E& e, F& fsm, S&, T&) const {
  fsm.data.owner = e.context->owner;
}

using table = lifecycle_def::transition_table;
using stt = machine::stt;

// Our stable enums <-> MSM's generated ids (which follow the order of appearance in the table).
template <class State>
constexpr int msm_id = msm::back::get_state_id<stt, State>::value;

constexpr std::array<int, complaint_state_count> main_ids = {
    msm_id<received>, msm_id<acknowledged>, msm_id<registered>, msm_id<investigating>,
    msm_id<awaiting_customer>, msm_id<resolution_proposed>, msm_id<resolution_agreed>,
    msm_id<responded>, msm_id<verifying_satisfaction>, msm_id<closed>, msm_id<withdrawn>};
constexpr std::array<int, action_plan_state_count> plan_ids = {
    msm_id<none_required>, msm_id<planned>, msm_id<done>, msm_id<verified>};
constexpr int tracking_id = msm_id<tracking>;

// Pin the mapping: every state has its own id, and the stored enum of each state type is the
// one the arrays give back. Reordering the table changes MSM's ids, never the stored values.
static_assert(main_ids[static_cast<std::size_t>(received::value)] == msm_id<received>);
static_assert(main_ids[static_cast<std::size_t>(withdrawn::value)] == msm_id<withdrawn>);
static_assert(plan_ids[static_cast<std::size_t>(verified::value)] == msm_id<verified>);
static_assert(msm_id<received> != msm_id<none_required> && msm_id<none_required> != tracking_id);
static_assert(mpl::size<stt>::value == 35, "one row per transition of the documented table");

template <std::size_t N>
constexpr bool distinct(const std::array<int, N>& ids) {
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (ids[i] == ids[j]) return false;
  return true;
}
static_assert(distinct(main_ids) && distinct(plan_ids));

// Restores a machine's active states without Boost.Serialization's library: the back-end's
// serialize() visits its active-state array (int[regions]) first; this archive copies ours
// into it and ignores everything else. Pinned by the test "a stored state is restored exactly".
struct state_loader {
  const int* source;
  template <class T>
  state_loader& operator&(T&) { return *this; }
  template <class T>
  state_loader& operator&(const T&) { return *this; }
  template <std::size_t N>
  state_loader& operator&(int (&states)[N]) {
    for (std::size_t i = 0; i < N; ++i) states[i] = source[i];
    return *this;
  }
};

template <class Event>
int dispatch(machine& m, const lifecycle_context& context) {
  return static_cast<int>(m.process_event(Event{&context}));
}

using dispatcher = int (*)(machine&, const lifecycle_context&);
constexpr std::array<dispatcher, lifecycle_event_count> dispatchers = {
    &dispatch<acknowledge>, &dispatch<register_complaint>, &dispatch<start_investigation>,
    &dispatch<request_information>, &dispatch<customer_replied>, &dispatch<propose_resolution>,
    &dispatch<customer_accepts>, &dispatch<customer_rejects>, &dispatch<send_holding_response>,
    &dispatch<send_response>, &dispatch<verify_satisfaction>, &dispatch<close>, &dispatch<reopen>,
    &dispatch<withdraw>, &dispatch<escalate>, &dispatch<assign>, &dispatch<promise>,
    &dispatch<contact_customer>, &dispatch<plan_action>, &dispatch<complete_action>,
    &dispatch<verify_action>, &dispatch<reclassify>};

template <std::size_t N>
int index_of(const std::array<int, N>& ids, int id) {
  for (std::size_t i = 0; i < N; ++i)
    if (ids[i] == id) return static_cast<int>(i);
  return 0;
}

template <class Flag, class F>
bool flag_active(const F& fsm) {
  static_assert(std::is_same_v<Flag, flag_open> || std::is_same_v<Flag, flag_withdrawn> ||
                    std::is_same_v<Flag, flag_plan_settled>,
                "flag_active knows the three flags of the states above");
  // Only the region the flag belongs to is looked up (guards run on every step).
  if constexpr (std::is_same_v<Flag, flag_plan_settled>) {
    return is_plan_settled(static_cast<action_plan_state>(index_of(plan_ids, fsm.current_state()[1])));
  } else {
    const auto main = static_cast<complaint_state>(index_of(main_ids, fsm.current_state()[0]));
    if constexpr (std::is_same_v<Flag, flag_open>) return is_open(main);
    else return main == complaint_state::withdrawn;
  }
}

// The events a complaint in `main` with its plan in `plan` accepts, as a rejection lists them
// ("'acknowledge', 'withdraw', ..."): made once for every pair and kept, since a history's
// rejected events each need one (building it per rejection was a tenth of `redress report`).
const std::string& allowed_events(complaint_state main, action_plan_state plan) {
  static const auto lists_by_state = [] {
    std::array<std::string, complaint_state_count * action_plan_state_count> lists;
    for (int m = 0; m < complaint_state_count; ++m)
      for (int p = 0; p < action_plan_state_count; ++p) {
        std::string& allowed = lists[static_cast<std::size_t>(m * action_plan_state_count + p)];
        for (const lifecycle_transition& t : lifecycle_transitions()) {
          const bool applies =
              (t.where == lifecycle_transition::region::complaint && static_cast<int>(t.from) == m) ||
              (t.where == lifecycle_transition::region::action_plan && static_cast<int>(t.plan_from) == p) ||
              (t.where == lifecycle_transition::region::data && m != static_cast<int>(complaint_state::closed));
          const std::string name(to_string(t.event));
          if (applies && allowed.find("'" + name + "'") == std::string::npos)
            allowed += (allowed.empty() ? "'" : ", '") + name + "'";
        }
      }
    return lists;
  }();
  return lists_by_state[static_cast<std::size_t>(main) * action_plan_state_count + static_cast<std::size_t>(plan)];
}

std::string describe_rejection(const lifecycle_state& s, lifecycle_event e, bool by_guard,
                               const lifecycle_rules& rules, const lifecycle_context& context) {
  const std::string event(to_string(e));
  const std::string state(to_string(s.main));
  if (s.main == complaint_state::withdrawn)
    return "a withdrawn complaint accepts no further events: '" + event + "' is not allowed in state 'withdrawn'";
  if (by_guard) {
    if (e == lifecycle_event::close && !rules.may_close_with_unverified_plan)
      return "'close' refused in state '" + state + "': the corrective action plan is " +
             std::string(to_string(s.plan)) + ", not verified, and the policy requires it verified";
    if (e == lifecycle_event::send_response && s.main == complaint_state::acknowledged)
      return "'send_response' refused in state 'acknowledged': the policy does not let a complaint "
             "skip registration (first_contact_may_skip_registration = false)";
    if (e == lifecycle_event::escalate && s.main != complaint_state::closed && s.escalation_level >= level_limit)
      return "'escalate' refused in state '" + state + "': the escalation level is at its limit of " +
             std::to_string(level_limit);
    if (e == lifecycle_event::assign && context.owner == 0)
      return "'assign' refused in state '" + state + "': it needs the new owner";
    return "'" + event + "' refused in state '" + state + "': the complaint is not open";
  }
  if ((e == lifecycle_event::complete_action && s.plan != action_plan_state::planned) ||
      (e == lifecycle_event::verify_action && s.plan != action_plan_state::done) ||
      (e == lifecycle_event::plan_action))
    return "'" + event + "' is not allowed while the corrective action plan is '" +
           std::string(to_string(s.plan)) + "'";
  return "'" + event + "' is not allowed in state '" + state + "' (allowed: " + allowed_events(s.main, s.plan) + ")";
}

}  // namespace

step_outcome step(const lifecycle_state& state, lifecycle_event event, const lifecycle_context& context,
                  const lifecycle_rules& rules) {
  step_outcome out;
  out.state = state;
  const auto e = static_cast<std::size_t>(event);
  if (e >= dispatchers.size() || static_cast<std::size_t>(state.main) >= main_ids.size() ||
      static_cast<std::size_t>(state.plan) >= plan_ids.size()) {
    out.rejection = "unknown event or state";
    return out;
  }
  machine m;
  m.rules = &rules;
  m.data = state;
  const int stored[3] = {main_ids[static_cast<std::size_t>(state.main)],
                         plan_ids[static_cast<std::size_t>(state.plan)], tracking_id};
  // The regions of the table, in the order MSM numbers them (initial_state's order).
  state_loader loader{stored};
  m.serialize(loader, 0);
  const int handled = dispatchers[e](m, context);
  if ((handled & msm::back::HANDLED_TRUE) == 0) {
    out.refused_by_guard = (handled & msm::back::HANDLED_GUARD_REJECT) != 0;
    out.rejection = describe_rejection(state, event, out.refused_by_guard, rules, context);
    return out;
  }
  out.accepted = true;
  lifecycle_state next = m.data;
  next.main = static_cast<complaint_state>(index_of(main_ids, m.current_state()[0]));
  next.plan = static_cast<action_plan_state>(index_of(plan_ids, m.current_state()[1]));
  out.main_changed = next.main != state.main;
  out.plan_changed = next.plan != state.plan;
  out.state = next;
  return out;
}

namespace {

struct row_collector {
  std::vector<lifecycle_transition>* rows;

  template <class G>
  static std::string_view guard_of() {
    if constexpr (std::is_same<G, none>::value) return "";
    else return G::text();
  }

  template <class Row>
  void operator()(boost::msm::wrap<Row>) const {
    using source = typename Row::Source;
    using target = typename Row::Target;
    // MSM's Row gives an internal row (target `none`) its source as Target, so this is
    // false for every row of today's table: kept as it was (`redress lifecycle --json`).
    constexpr bool internal = std::is_same<target, none>::value;
    lifecycle_transition t;
    t.event = Row::Evt::id;
    t.internal = internal;
    t.guard = guard_of<typename Row::Guard>();
    if constexpr (source::region == region_kind::complaint) {
      t.where = lifecycle_transition::region::complaint;
      t.from = static_cast<complaint_state>(source::value);
      t.to = static_cast<complaint_state>(target::value);
    } else if constexpr (source::region == region_kind::action_plan) {
      t.where = lifecycle_transition::region::action_plan;
      t.plan_from = static_cast<action_plan_state>(source::value);
      t.plan_to = static_cast<action_plan_state>(target::value);
    } else {
      t.where = lifecycle_transition::region::data;
    }
    rows->push_back(t);
  }
};

}  // namespace

std::string_view lifecycle_transition::from_name() const noexcept {
  switch (where) {
    case region::complaint: return to_string(from);
    case region::action_plan: return to_string(plan_from);
    case region::data: break;
  }
  return tracking::name();
}

std::string_view lifecycle_transition::to_name() const noexcept {
  switch (where) {
    case region::complaint: return to_string(to);
    case region::action_plan: return to_string(plan_to);
    case region::data: break;
  }
  return tracking::name();
}

const std::vector<lifecycle_transition>& lifecycle_transitions() {
  static const std::vector<lifecycle_transition> rows = [] {
    std::vector<lifecycle_transition> out;
    mpl::for_each<table, boost::msm::wrap<mpl::placeholders::_1>>(row_collector{&out});
    return out;
  }();
  return rows;
}

std::string lifecycle_diagram(std::string_view format) {
  const auto& rows = lifecycle_transitions();
  auto label = [](const lifecycle_transition& t) {
    std::string text(to_string(t.event));
    if (!t.guard.empty()) text += " [" + std::string(t.guard) + "]";
    return text;
  };
  std::string out;
  if (format == "mermaid") {
    out += "stateDiagram-v2\n";
    out += "  state \"complaint\" as complaint {\n    [*] --> received\n";
    for (const auto& t : rows)
      if (t.where == lifecycle_transition::region::complaint)
        out += "    " + std::string(t.from_name()) + " --> " + std::string(t.to_name()) + " : " + label(t) + "\n";
    out += "  }\n  state \"corrective action plan\" as action_plan {\n    [*] --> none_required\n";
    for (const auto& t : rows)
      if (t.where == lifecycle_transition::region::action_plan)
        out += "    " + std::string(t.from_name()) + " --> " + std::string(t.to_name()) + " : " + label(t) + "\n";
    out += "  }\n";
    std::string data;
    for (const auto& t : rows)
      if (t.where == lifecycle_transition::region::data)
        data += (data.empty() ? "" : ", ") + std::string(to_string(t.event));
    out += "  note right of complaint\n    in every open state, without changing it:\n    " + data +
           "\n  end note\n";
    return out;
  }
  if (format == "dot") {
    out += "digraph lifecycle {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n";
    out += "  subgraph cluster_complaint {\n    label=\"complaint\";\n";
    for (const auto& t : rows)
      if (t.where == lifecycle_transition::region::complaint)
        out += "    " + std::string(t.from_name()) + " -> " + std::string(t.to_name()) + " [label=\"" + label(t) + "\"];\n";
    out += "  }\n  subgraph cluster_action_plan {\n    label=\"corrective action plan\";\n";
    for (const auto& t : rows)
      if (t.where == lifecycle_transition::region::action_plan)
        out += "    " + std::string(t.from_name()) + " -> " + std::string(t.to_name()) + " [label=\"" + label(t) + "\"];\n";
    out += "  }\n";
    for (const auto& t : rows)
      if (t.where == lifecycle_transition::region::data)
        out += "  open_states -> open_states [label=\"" + label(t) + "\"];\n";
    out += "  open_states [label=\"every open state\", shape=ellipse];\n}\n";
    return out;
  }
  throw error("unknown diagram format '" + std::string(format) + "': expected \"dot\" or \"mermaid\"");
}

}  // namespace redress
