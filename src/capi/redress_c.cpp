// The C ABI (include/redress/redress.h) over the wire session: every entry point catches every
// exception (std::bad_alloc included) and turns it into a code and a located message.
#include "redress/redress.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "redress/calendar.hpp"
#include "redress/policy.hpp"
#include "wire/session.hpp"

struct redress_policy {
  redress::policy value;
};
struct redress_calendar {
  redress::business_calendar value;
};
struct redress_engine {
  redress::wire::session value;
};
struct redress_error {
  redress_code code = REDRESS_E_INTERNAL;
  std::string message;  // located
  std::string file;
  int line = 0;
  int column = 0;
  std::string plain;    // without the location
};

namespace {

using redress::wire::json;

// Returned when even the error cannot be allocated; never freed.
redress_error out_of_memory_error{REDRESS_E_NO_MEMORY, "out of memory", "", 0, 0, "out of memory"};

void fail(redress_error** error, redress_code code, const std::string& plain,
          const redress::source_location& where = {}) noexcept {
  if (!error) return;
  try {
    auto e = std::make_unique<redress_error>();  // owned until complete: no leak if a copy throws
    e->code = code;
    e->plain = plain;
    e->file = where.file;
    e->line = where.line;
    e->column = where.column;
    const std::string place = where.to_string();
    e->message = place.empty() ? plain : place + ": " + plain;
    *error = e.release();
  } catch (...) {
    *error = &out_of_memory_error;
  }
}

struct invalid_argument {
  std::string message;
};

// The code a wire failure's name stands for (redress_code_name backwards).
redress_code code_named(const std::string& name) noexcept {
  for (int c = REDRESS_OK; c <= REDRESS_E_DUPLICATE_POLICY_VERSION; ++c)  // the last code
    if (name == redress_code_name(static_cast<redress_code>(c))) return static_cast<redress_code>(c);
  return REDRESS_E_INTERNAL;
}

// Runs `body`; maps what it throws with the wire format's one rule (wire::current_failure).
// `library_error` is the code of a redress::error that is not a wire_error (a load error for the
// loaders, a calendar error for deadlines).
template <typename Body>
redress_code guarded(redress_error** error, redress_code library_error, Body&& body) noexcept {
  if (error) *error = nullptr;
  try {
    body();
    return REDRESS_OK;
  } catch (const invalid_argument& e) {
    fail(error, REDRESS_E_INVALID_ARGUMENT, e.message);
    return REDRESS_E_INVALID_ARGUMENT;
  } catch (const std::bad_alloc&) {
    if (error) *error = &out_of_memory_error;
    return REDRESS_E_NO_MEMORY;
  } catch (...) {
    try {
      const redress::wire::failure f = redress::wire::current_failure(redress_code_name(library_error));
      const redress_code code = code_named(f.code);
      fail(error, code, f.message, f.where);
      return code;
    } catch (...) {  // nothing left to build a message with
      if (error) *error = &out_of_memory_error;
      return REDRESS_E_NO_MEMORY;
    }
  }
}

template <typename T>
void require(const T* p, const char* name) {
  if (!p) throw invalid_argument{std::string(name) + " is NULL"};
}

char* copy_out(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (!out) throw std::bad_alloc();
  std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}

// Writes `value` to `*out` (which must not be NULL).
void put(char** out, const json& value) { *out = copy_out(redress::wire::text_of(value)); }

template <typename T>
void clear(T** out) {
  if (out) *out = nullptr;
}

redress::instant instant_arg(const char* text, const char* name) {
  require(text, name);
  return redress::wire::instant_from_text(text, name);
}

redress::deadline_options options_from(const char* text) {
  if (!text) return {};
  return redress::wire::deadline_options_from(redress::wire::parse(text, "options"));
}

}  // namespace

extern "C" {

const char* redress_version(void) { return redress::version(); }
int redress_abi_version(void) { return REDRESS_ABI_VERSION; }
void redress_free(void* p) { std::free(p); }

const char* redress_code_name(redress_code code) {
  switch (code) {
    case REDRESS_OK: return "ok";
    case REDRESS_E_INVALID_ARGUMENT: return "invalid_argument";
    case REDRESS_E_INVALID_JSON: return "invalid_json";
    case REDRESS_E_INVALID_VALUE: return "invalid_value";
    case REDRESS_E_LOAD: return "load_error";
    case REDRESS_E_UNKNOWN_COMPLAINT: return "unknown_complaint";
    case REDRESS_E_DUPLICATE_COMPLAINT: return "duplicate_complaint";
    case REDRESS_E_REJECTED_EVENT: return "rejected_event";
    case REDRESS_E_OUT_OF_ORDER: return "out_of_order";
    case REDRESS_E_INVALID_INTAKE: return "invalid_intake";
    case REDRESS_E_PAUSE_REFUSED: return "pause_refused";
    case REDRESS_E_UNKNOWN_POLICY_VERSION: return "unknown_policy_version";
    case REDRESS_E_CALENDAR: return "calendar_error";
    case REDRESS_E_LIMIT: return "limit";
    case REDRESS_E_NO_MEMORY: return "no_memory";
    case REDRESS_E_INTERNAL: return "internal";
    case REDRESS_E_DUPLICATE_POLICY_VERSION: return "duplicate_policy_version";
  }
  return "unknown_code";
}

// ---- errors ----

redress_code redress_error_code(const redress_error* e) { return e ? e->code : REDRESS_E_INVALID_ARGUMENT; }
const char* redress_error_message(const redress_error* e) { return e ? e->message.c_str() : ""; }
const char* redress_error_file(const redress_error* e) { return e ? e->file.c_str() : ""; }
int redress_error_line(const redress_error* e) { return e ? e->line : 0; }
int redress_error_column(const redress_error* e) { return e ? e->column : 0; }

redress_code redress_error_json(const redress_error* e, char** out, redress_error** error) {
  clear(out);
  return guarded(error, REDRESS_E_INTERNAL, [&] {
    require(e, "error");
    require(out, "json");
    put(out, redress::wire::error_value(redress_code_name(e->code), e->plain,
                                        redress::source_location{e->file, e->line, e->column}));
  });
}

void redress_error_free(redress_error* e) {
  if (e != &out_of_memory_error) delete e;
}

// ---- policies ----

redress_code redress_policy_load_file(const char* path, redress_policy** policy, redress_error** error) {
  clear(policy);
  return guarded(error, REDRESS_E_LOAD, [&] {
    require(path, "path");
    require(policy, "policy");
    *policy = new redress_policy{redress::load_policy(path)};
  });
}

redress_code redress_policy_load_string(const char* toml, const char* file_name, redress_policy** policy,
                                        redress_error** error) {
  clear(policy);
  return guarded(error, REDRESS_E_LOAD, [&] {
    require(toml, "toml");
    require(policy, "policy");
    *policy = new redress_policy{redress::parse_policy(toml, file_name ? file_name : "<string>")};
  });
}

redress_code redress_policy_describe(const redress_policy* policy, char** out, redress_error** error) {
  clear(out);
  return guarded(error, REDRESS_E_INTERNAL, [&] {
    require(policy, "policy");
    require(out, "json");
    const redress::policy_definition& d = policy->value.definition();
    json calendars = json::array();
    for (const auto& [name, calendar] : d.calendars) calendars.push_back(name);
    put(out, {{"name", d.name},
              {"version", d.version},
              {"default_calendar", d.default_calendar},
              {"calendars", calendars},
              {"files", redress::wire::value_of(d.files)}});
  });
}

redress_code redress_policy_calendar(const redress_policy* policy, const char* name, redress_calendar** calendar,
                                     redress_error** error) {
  clear(calendar);
  return guarded(error, REDRESS_E_INVALID_VALUE, [&] {
    require(policy, "policy");
    require(calendar, "calendar");
    const std::string which = name ? name : policy->value->default_calendar;
    *calendar = new redress_calendar{policy->value.calendar(which)};
  });
}

void redress_policy_free(redress_policy* policy) { delete policy; }

// ---- calendars ----

redress_code redress_calendar_load_file(const char* path, redress_calendar** calendar, redress_error** error) {
  clear(calendar);
  return guarded(error, REDRESS_E_LOAD, [&] {
    require(path, "path");
    require(calendar, "calendar");
    *calendar = new redress_calendar{redress::load_calendar(path)};
  });
}

redress_code redress_calendar_load_string(const char* toml, const char* file_name, redress_calendar** calendar,
                                          redress_error** error) {
  clear(calendar);
  return guarded(error, REDRESS_E_LOAD, [&] {
    require(toml, "toml");
    require(calendar, "calendar");
    *calendar = new redress_calendar{redress::parse_calendar(toml, file_name ? file_name : "<string>")};
  });
}

redress_code redress_calendar_deadline(const redress_calendar* calendar, const char* start, const char* duration,
                                       const char* options, char** out, redress_error** error) {
  clear(out);
  return guarded(error, REDRESS_E_CALENDAR, [&] {
    require(calendar, "calendar");
    require(duration, "duration");
    require(out, "json");
    const redress::instant from = instant_arg(start, "start");
    const redress::duration_spec spec = redress::wire::duration_from_text(duration);
    const redress::deadline_options o = options_from(options);
    const redress::instant due = redress::deadline(calendar->value, from, spec, o);
    put(out, redress::wire::deadline_value(calendar->value, from, spec, o, due));
  });
}

redress_code redress_calendar_elapsed(const redress_calendar* calendar, const char* from, const char* to,
                                      char** out, redress_error** error) {
  clear(out);
  return guarded(error, REDRESS_E_CALENDAR, [&] {
    require(calendar, "calendar");
    require(out, "json");
    const redress::instant a = instant_arg(from, "from");
    const redress::instant b = instant_arg(to, "to");
    const std::chrono::seconds d = redress::elapsed_working_time(calendar->value, a, b);
    put(out, redress::wire::elapsed_value(calendar->value, a, b, d));
  });
}

void redress_calendar_free(redress_calendar* calendar) { delete calendar; }

// ---- engines ----

redress_code redress_engine_new(const redress_policy* policy, redress_engine** engine, redress_error** error) {
  clear(engine);
  return guarded(error, REDRESS_E_INTERNAL, [&] {
    require(policy, "policy");
    require(engine, "engine");
    *engine = new redress_engine{redress::wire::session(policy->value)};
  });
}

void redress_engine_free(redress_engine* engine) { delete engine; }

redress_code redress_engine_add_policy(redress_engine* engine, const redress_policy* policy, int make_current,
                                       redress_error** error) {
  return guarded(error, REDRESS_E_INTERNAL, [&] {
    require(engine, "engine");
    require(policy, "policy");
    engine->value.add_policy(policy->value, make_current != 0);
  });
}

redress_code redress_engine_open(redress_engine* engine, const char* intake, char** actions, redress_error** error) {
  clear(actions);
  return guarded(error, REDRESS_E_INVALID_VALUE, [&] {
    require(engine, "engine");
    require(intake, "intake");
    require(actions, "actions");
    put(actions, engine->value.open(redress::wire::parse(intake, "intake")));
  });
}

redress_code redress_engine_apply(redress_engine* engine, const char* id, const char* event, char** actions,
                                  redress_error** error) {
  clear(actions);
  return guarded(error, REDRESS_E_INVALID_VALUE, [&] {
    require(engine, "engine");
    require(id, "id");
    require(event, "event");
    require(actions, "actions");
    put(actions, engine->value.apply(id, redress::wire::parse(event, "event")));
  });
}

redress_code redress_engine_advance(redress_engine* engine, const char* now, char** actions, redress_error** error) {
  clear(actions);
  return guarded(error, REDRESS_E_INVALID_VALUE, [&] {
    require(engine, "engine");
    require(actions, "actions");
    const redress::instant t = instant_arg(now, "now");
    put(actions, engine->value.advance(t));
  });
}

redress_code redress_engine_next_wakeup(const redress_engine* engine, char** out, redress_error** error) {
  clear(out);
  return guarded(error, REDRESS_E_INTERNAL, [&] {
    require(engine, "engine");
    require(out, "json");
    put(out, engine->value.next_wakeup());
  });
}

redress_code redress_engine_status(const redress_engine* engine, const char* id, const char* now, char** status,
                                   redress_error** error) {
  clear(status);
  return guarded(error, REDRESS_E_INVALID_VALUE, [&] {
    require(engine, "engine");
    require(id, "id");
    require(status, "status");
    const redress::instant t = instant_arg(now, "now");
    put(status, engine->value.status(id, t));
  });
}

redress_code redress_engine_history(const redress_engine* engine, const char* id, char** history,
                                    redress_error** error) {
  clear(history);
  return guarded(error, REDRESS_E_INTERNAL, [&] {
    require(engine, "engine");
    require(id, "id");
    require(history, "history");
    put(history, engine->value.history(id));
  });
}

redress_code redress_engine_snapshot(const redress_engine* engine, const char* id, char** snapshot,
                                     redress_error** error) {
  clear(snapshot);
  return guarded(error, REDRESS_E_INTERNAL, [&] {
    require(engine, "engine");
    require(id, "id");
    require(snapshot, "snapshot");
    put(snapshot, engine->value.snapshot(id));
  });
}

redress_code redress_engine_restore(redress_engine* engine, const char* snapshot, char** actions,
                                    redress_error** error) {
  clear(actions);
  return guarded(error, REDRESS_E_INVALID_VALUE, [&] {
    require(engine, "engine");
    require(snapshot, "snapshot");
    require(actions, "actions");
    put(actions, engine->value.restore(redress::wire::parse(snapshot, "snapshot")));
  });
}

redress_code redress_engine_migrate(redress_engine* engine, const char* id, const char* version, char** actions,
                                    redress_error** error) {
  clear(actions);
  return guarded(error, REDRESS_E_INTERNAL, [&] {
    require(engine, "engine");
    require(id, "id");
    require(version, "version");
    require(actions, "actions");
    put(actions, engine->value.migrate(id, version));
  });
}

redress_code redress_engine_reload_policy(redress_engine* engine, const redress_policy* policy, char** actions,
                                          redress_error** error) {
  clear(actions);
  return guarded(error, REDRESS_E_INTERNAL, [&] {
    require(engine, "engine");
    require(policy, "policy");
    require(actions, "actions");
    put(actions, engine->value.reload_policy(policy->value));
  });
}

redress_code redress_engine_erase(redress_engine* engine, const char* id, redress_error** error) {
  return guarded(error, REDRESS_E_INTERNAL, [&] {
    require(engine, "engine");
    require(id, "id");
    if (!engine->value.erase(id))
      throw redress::wire::engine_failure(
          {redress::engine_error::kind::unknown_complaint, "unknown complaint " + std::string(id)});
  });
}

redress_code redress_engine_size(const redress_engine* engine, size_t* size, redress_error** error) {
  if (size) *size = 0;
  return guarded(error, REDRESS_E_INTERNAL, [&] {
    require(engine, "engine");
    require(size, "size");
    *size = engine->value.size();
  });
}

}  // extern "C"
