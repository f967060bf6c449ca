// redress._native: the pybind11 layer of the Python package (python/redress). It holds the C++
// objects (policies, calendars, an engine in the wire format) and passes values as wire-format
// JSON text, which the pure-Python layer turns into datetimes, enums and dataclasses: one
// conversion, the one every other host uses (docs/wire-format.md), written once in src/wire.
// C++ exceptions become redress._native.NativeError(code, message, file, line, column).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>

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

}  // namespace

PYBIND11_MODULE(_native, m) {
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
      .def("migrate", [](session& s, const std::string& id, const std::string& version) {
        return run("internal", [&] { return text(s.migrate(id, version)); });
      })
      .def("erase", [](session& s, const std::string& id) { return s.erase(id); })
      .def("__len__", [](const session& s) { return s.size(); });
}
