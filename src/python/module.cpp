// redress._native: the pybind11 layer of the Python package (python/redress). It holds the C++
// objects (policies, calendars, an engine in the wire format) and passes values as wire-format
// JSON text, which the pure-Python layer turns into datetimes, enums and dataclasses: one
// conversion, the one every other host uses (docs/wire-format.md), written once in src/wire.
// The hot path is the exception: apply_event and advance_actions take an event's fields and
// instants as Unix seconds and return each action as a tuple of Action's fields, its instants
// already aware datetimes in the complaint's offset (the wire's instants), with no JSON between.
// C++ exceptions become redress._native.NativeError(code, message, file, line, column).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <datetime.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "redress/calendar.hpp"
#include "redress/policy.hpp"
#include "redress/time.hpp"
#include "wire/session.hpp"

namespace py = pybind11;
using redress::wire::json;

namespace {

struct native_error {
  std::string code;
  std::string message;
  redress::source_location where;
};

[[noreturn]] void raise(std::string code, std::string message, redress::source_location where = {}) {
  throw native_error{std::move(code), std::move(message), std::move(where)};
}

// Runs `body`, turning every C++ exception into a native_error with the wire format's one rule
// (wire::current_failure); `library_code` is the code of a redress::error that is not a
// wire_error (a load error for loaders, a calendar error for deadlines).
template <typename Body>
auto run(const char* library_code, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const native_error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw;  // pybind11 turns it into MemoryError
  } catch (...) {
    redress::wire::failure f = redress::wire::current_failure(library_code);
    raise(std::move(f.code), std::move(f.message), std::move(f.where));
  }
}

redress::instant instant_arg(const std::string& text, const char* name) {
  return redress::wire::instant_from_text(text, name);
}

std::string text(const json& j) { return redress::wire::text_of(j); }

// `t` as an aware datetime in the offset `zone` has at `t`: the instant the wire format writes
// (format_rfc3339(t, zone)), built directly. The tzinfo of each offset is made once.
py::object datetime_at(redress::instant t, const redress::time_zone& zone) {
  static std::map<std::int32_t, py::object>* offsets = new std::map<std::int32_t, py::object>;  // never freed:
  const std::int32_t offset = zone.offset_at(t);  // outlives the interpreter's teardown of objects
  auto it = offsets->find(offset);
  if (it == offsets->end()) {
    py::object delta = py::reinterpret_steal<py::object>(PyDelta_FromDSU(0, offset, 0));
    if (!delta) throw py::error_already_set();
    py::object tz = py::reinterpret_steal<py::object>(PyTimeZone_FromOffset(delta.ptr()));
    if (!tz) throw py::error_already_set();
    it = offsets->emplace(offset, std::move(tz)).first;
  }
  const redress::civil_time c = zone.to_civil(t);
  PyObject* d = PyDateTimeAPI->DateTime_FromDateAndTime(c.date.year, c.date.month, c.date.day, c.hour, c.minute,
                                                        c.second, 0, it->second.ptr(), PyDateTimeAPI->DateTimeType);
  if (!d) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(d);
}

// An action as the tuple of redress.Action's fields, in their order; the kind is its wire name.
py::tuple action_fields(const redress::action& a, const redress::time_zone& zone) {
  return py::make_tuple(a.id, redress::wire::to_string(a.what), a.complaint, a.target, a.level, a.cycle,
                        datetime_at(a.at, zone), a.who, a.notify, a.assign, a.record, a.summary,
                        a.by_when ? datetime_at(*a.by_when, zone) : py::object(py::none()), a.verifier,
                        a.deliver_at ? datetime_at(*a.deliver_at, zone) : py::object(py::none()), a.retracts);
}

py::list action_list(const redress::wire::session& s, const std::vector<redress::action>& fired) {
  py::list out(fired.size());
  for (std::size_t i = 0; i < fired.size(); ++i)
    out[i] = action_fields(fired[i], s.zone_of(fired[i].complaint));
  return out;
}

redress::instant unix_instant(std::int64_t seconds) { return redress::instant::from_unix(seconds); }

// The rule for an instant a host gives: a datetime with a tzinfo that gives an offset, in whole
// seconds. Returns: it as Unix seconds. Throws: TypeError / ValueError naming `name`.
std::int64_t instant_seconds(py::handle value, const char* name) {
  const auto shown = [&] { return py::str(value.attr("isoformat")()).cast<std::string>(); };
  if (!PyDateTime_Check(value.ptr()))
    throw py::type_error(std::string(name) + ": expected a datetime with a tzinfo, got " +
                         std::string(py::str(py::type::handle_of(value).attr("__name__"))));
  static PyObject* const utcoffset = PyUnicode_InternFromString("utcoffset");
  py::object offset = py::reinterpret_steal<py::object>(PyObject_CallMethodObjArgs(value.ptr(), utcoffset, nullptr));
  if (!offset) throw py::error_already_set();
  if (offset.is_none())
    throw py::value_error(std::string(name) + ": naive datetime " + shown() +
                          " refused: give it a tzinfo (e.g. tzinfo=datetime.timezone.utc or "
                          "zoneinfo.ZoneInfo(\"Europe/London\"))");
  if (PyDateTime_DATE_GET_MICROSECOND(value.ptr()) != 0 || !PyDelta_Check(offset.ptr()) ||
      PyDateTime_DELTA_GET_MICROSECONDS(offset.ptr()) != 0)
    throw py::value_error(std::string(name) + ": " + shown() +
                          " has a fraction of a second; redress counts whole seconds (use .replace(microsecond=0))");
  const redress::civil_time local{{PyDateTime_GET_YEAR(value.ptr()), PyDateTime_GET_MONTH(value.ptr()),
                                   PyDateTime_GET_DAY(value.ptr())},
                                  PyDateTime_DATE_GET_HOUR(value.ptr()),
                                  PyDateTime_DATE_GET_MINUTE(value.ptr()),
                                  PyDateTime_DATE_GET_SECOND(value.ptr())};
  return local.seconds_since_epoch() - std::int64_t{PyDateTime_DELTA_GET_DAYS(offset.ptr())} * 86400 -
         PyDateTime_DELTA_GET_SECONDS(offset.ptr());
}

std::optional<redress::instant> optional_instant(py::handle value, const char* name) {
  if (value.is_none()) return std::nullopt;
  return unix_instant(instant_seconds(value, name));
}

}  // namespace

PYBIND11_MODULE(_native, m) {
  PyDateTime_IMPORT;
  if (!PyDateTimeAPI) throw py::error_already_set();
  m.doc() = "The C++ layer of the redress package; use the package `redress`, not this module.";
  static py::exception<native_error> native(m, "NativeError");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const native_error& e) {
      py::tuple args = py::make_tuple(e.code, e.message, e.where.file, e.where.line, e.where.column);
      PyErr_SetObject(native.ptr(), args.ptr());
    }
  });
  m.def("version", [] { return std::string(redress::version()); });
  m.attr("snapshot_format_version") = redress::wire::snapshot_format_version;
  m.def("instant_seconds", [](py::handle value, const std::string& name) { return instant_seconds(value, name.c_str()); },
        "The rule for an instant given by a host (aware, whole seconds): its Unix seconds, or TypeError/ValueError.");

  py::class_<redress::policy>(m, "Policy")
      .def_property_readonly("name", [](const redress::policy& p) { return p.name(); })
      .def_property_readonly("version", [](const redress::policy& p) { return p.version(); })
      .def_property_readonly("default_calendar", [](const redress::policy& p) { return p->default_calendar; })
      .def_property_readonly("calendars",
                             [](const redress::policy& p) {
                               std::vector<std::string> names;
                               for (const auto& [name, c] : p->calendars) names.push_back(name);
                               return names;
                             })
      .def_property_readonly("files",
                             [](const redress::policy& p) {
                               // bytes: a holiday file need not be UTF-8
                               py::list out;
                               for (const redress::source_file& f : p->files)
                                 out.append(py::make_tuple(f.path, py::bytes(f.text)));
                               return out;
                             })
      .def("calendar", [](const redress::policy& p, const std::string& name) {
        return run("invalid_value", [&] { return p.calendar(name); });
      });
  m.def("load_policy", [](const std::string& path) { return run("load_error", [&] { return redress::load_policy(path); }); });
  m.def("parse_policy", [](const std::string& toml, const std::string& name) {
    return run("load_error", [&] { return redress::parse_policy(toml, name); });
  });

  py::class_<redress::business_calendar>(m, "Calendar")
      .def_property_readonly("name", [](const redress::business_calendar& c) { return c.name(); })
      .def_property_readonly("timezone", [](const redress::business_calendar& c) { return c.zone().name(); })
      .def("deadline",
           [](const redress::business_calendar& c, const std::string& start, const std::string& duration,
              const std::string& end, const std::string& rollover, const std::string& receipt) {
             return run("calendar_error", [&] {
               const redress::instant from = instant_arg(start, "start");
               const redress::duration_spec spec = redress::wire::duration_from_text(duration);
               json options = json::object();  // an empty string keeps the default
               if (!end.empty()) options["end"] = end;
               if (!rollover.empty()) options["rollover"] = rollover;
               if (!receipt.empty()) options["receipt"] = receipt;
               const redress::deadline_options o = redress::wire::deadline_options_from(options);
               return redress::format_rfc3339(redress::deadline(c, from, spec, o), c.zone());
             });
           })
      .def("parse_timestamp",
           [](const redress::business_calendar& c, const std::string& text) {
             return run("invalid_value", [&] {
               return redress::format_rfc3339(redress::parse_timestamp(text, c.zone()), c.zone());
             });
           })
      .def("elapsed", [](const redress::business_calendar& c, const std::string& from, const std::string& to) {
        return run("calendar_error", [&] {
          return redress::elapsed_working_time(c, instant_arg(from, "start"), instant_arg(to, "end")).count();
        });
      });
  m.def("load_calendar",
        [](const std::string& path) { return run("load_error", [&] { return redress::load_calendar(path); }); });

  using redress::wire::session;
  py::class_<session>(m, "Session")
      .def(py::init([](const redress::policy& p) { return run("internal", [&] { return new session(p); }); }))
      .def("add_policy",
           [](session& s, const redress::policy& p, bool make_current) {
             run("internal", [&] { s.add_policy(p, make_current); });
           })
      .def("open", [](session& s, const std::string& intake) {
        return run("invalid_value", [&] { return text(s.open(redress::wire::parse(intake, "intake"))); });
      })
      .def("apply", [](session& s, const std::string& id, const std::string& event) {
        return run("invalid_value", [&] { return text(s.apply(id, redress::wire::parse(event, "event"))); });
      })
      .def("apply_event",
           [](session& s, const std::string& id, const std::string& name, py::handle at, std::string actor,
              std::string reason, bool justified, bool satisfied, std::string role, py::handle promised,
              std::string what, std::string owner, std::string verifier, py::handle due) {
             redress::complaint_event e;  // the instants first: their errors are Python's own
             e.at = unix_instant(instant_seconds(at, "at"));
             e.promised = optional_instant(promised, "promised");
             e.action_due = optional_instant(due, "due");
             e.actor = std::move(actor);
             e.reason = std::move(reason);
             e.justified = justified;
             e.satisfied = satisfied;
             e.role = std::move(role);
             e.action_what = std::move(what);
             e.action_owner = std::move(owner);
             e.action_verifier = std::move(verifier);
             std::vector<redress::action> fired = run("invalid_value", [&] {
               e.what = redress::wire::event_named(name, "event");
               return s.apply_actions(id, e);
             });
             return action_list(s, fired);
           })
      .def("advance_actions", [](session& s, py::handle now) {
        const redress::instant t = unix_instant(instant_seconds(now, "now"));
        return action_list(s, run("invalid_value", [&] { return s.advance_actions(t); }));
      })
      .def("advance", [](session& s, const std::string& now) {
        return run("invalid_value", [&] { return text(s.advance(instant_arg(now, "now"))); });
      })
      .def("next_wakeup", [](const session& s) { return run("internal", [&] { return text(s.next_wakeup()); }); })
      .def("status", [](const session& s, const std::string& id, const std::string& now) {
        return run("invalid_value", [&] { return text(s.status(id, instant_arg(now, "now"))); });
      })
      .def("history", [](const session& s, const std::string& id) {
        return run("internal", [&] { return text(s.history(id)); });
      })
      .def("snapshot", [](const session& s, const std::string& id) {
        return run("internal", [&] { return text(s.snapshot(id)); });
      })
      .def("restore", [](session& s, const std::string& snapshot) {
        return run("invalid_value", [&] { return text(s.restore(redress::wire::parse(snapshot, "snapshot"))); });
      })
      .def("reload_policy", [](session& s, const redress::policy& p) {
        return run("internal", [&] { return text(s.reload_policy(p)); });
      })
      .def("migrate", [](session& s, const std::string& id, const std::string& version) {
        return run("internal", [&] { return text(s.migrate(id, version)); });
      })
      .def("erase", [](session& s, const std::string& id) { return s.erase(id); })
      .def("__len__", [](const session& s) { return s.size(); });
}
