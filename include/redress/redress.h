/* redress's C ABI: the engine from C, and through FFI from any language (Python ctypes/cffi,
 * Ruby FFI, PHP FFI, Perl FFI::Platypus, Java FFM/JNA, Go cgo).
 *
 * Plain C99. Link with -lredress (libredress.so; `pkg-config --libs redress-c`).
 *
 * Conventions (every function follows them):
 * - Values cross as UTF-8 JSON text in the wire format (docs/wire-format.md, schemas/): an
 *   intake, an event and a snapshot in; an array of actions, a complaint status, a snapshot,
 *   a history out. Instants in arguments ("now") are RFC 3339 strings with any offset;
 *   instants written out are in the offset of the complaint's calendar.
 * - A function returns REDRESS_OK (0) or an error code. Its results are written to its out
 *   parameters only on success; on failure they are set to NULL.
 * - `error` (the last parameter) may be NULL. Otherwise it receives NULL on success, or on
 *   failure an error the caller frees with redress_error_free(): its code, its message (with
 *   "file:line:col: " in front when the place is known) and the place itself.
 * - Every string a function returns through a `char**` is allocated by the library: free it
 *   with redress_free(), and nothing else.
 * - No C++ exception crosses this boundary and the library never calls abort(): a failed
 *   allocation is REDRESS_E_NO_MEMORY, anything unexpected REDRESS_E_INTERNAL.
 * - A rejected call changes nothing: the complaint is exactly as it was.
 *
 * Threads: policies and calendars are immutable; one handle may be used by any number of
 * threads at once. An engine is not thread-safe: call it from one thread at a time (it may move
 * between threads; lock around it otherwise); different engines are independent. Errors and
 * strings belong to the caller and may be freed on any thread. Each function says which rule
 * applies. */
#ifndef REDRESS_REDRESS_H
#define REDRESS_REDRESS_H

#include <stddef.h>

#if defined(_WIN32)
#  define REDRESS_C_API
#elif defined(__GNUC__)
#  define REDRESS_C_API __attribute__((visibility("default")))
#else
#  define REDRESS_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this C ABI: it changes only when a function's signature or meaning changes
 * incompatibly (it is the shared library's SONAME: libredress.so.1). */
#define REDRESS_ABI_VERSION 1

typedef enum redress_code {
  REDRESS_OK = 0,
  REDRESS_E_INVALID_ARGUMENT = 1,   /* a NULL handle or string where one is required */
  REDRESS_E_INVALID_JSON = 2,       /* the text is not JSON (line and column given) */
  REDRESS_E_INVALID_VALUE = 3,      /* JSON, but not the wire format (the JSON pointer named) */
  REDRESS_E_LOAD = 4,               /* a policy or calendar file: unreadable or wrong (file:line:col) */
  REDRESS_E_UNKNOWN_COMPLAINT = 5,
  REDRESS_E_DUPLICATE_COMPLAINT = 6,
  REDRESS_E_REJECTED_EVENT = 7,     /* illegal in the complaint's state, or refused by a rule */
  REDRESS_E_OUT_OF_ORDER = 8,       /* earlier than the complaint's last event or fired action */
  REDRESS_E_INVALID_INTAKE = 9,     /* vocabulary or required fields */
  REDRESS_E_PAUSE_REFUSED = 10,     /* pause budget spent, or reason required */
  REDRESS_E_UNKNOWN_POLICY_VERSION = 11,
  REDRESS_E_CALENDAR = 12,          /* a deadline beyond the calendar's data or year 9999 */
  REDRESS_E_LIMIT = 13,             /* a limit of the engine (e.g. 65,536 policy versions) */
  REDRESS_E_NO_MEMORY = 14,
  REDRESS_E_INTERNAL = 15,
  REDRESS_E_DUPLICATE_POLICY_VERSION = 16 /* add_policy: the engine holds that version already */
} redress_code;

typedef struct redress_policy redress_policy;
typedef struct redress_calendar redress_calendar;
typedef struct redress_engine redress_engine;
typedef struct redress_error redress_error;

/* ---- library ------------------------------------------------------------------------------- */

/* "MAJOR.MINOR.PATCH" of the library; a static string, never freed. Any thread. */
REDRESS_C_API const char* redress_version(void);
/* REDRESS_ABI_VERSION of the library actually loaded. Any thread. */
REDRESS_C_API int redress_abi_version(void);
/* Frees a string returned by this library; NULL is ignored. Any thread. */
REDRESS_C_API void redress_free(void* p);
/* "invalid_json", "rejected_event", ...: the wire-format name of a code (static string). */
REDRESS_C_API const char* redress_code_name(redress_code code);

/* ---- errors: owned by the caller; any thread ------------------------------------------------ */

REDRESS_C_API redress_code redress_error_code(const redress_error* e);
/* The full message, "file:line:col: what was expected" when the place is known. Valid until
 * redress_error_free(e). */
REDRESS_C_API const char* redress_error_message(const redress_error* e);
/* The place: the file ("" when the input was a string without a name), 1-based line and
 * column (0 when unknown). */
REDRESS_C_API const char* redress_error_file(const redress_error* e);
REDRESS_C_API int redress_error_line(const redress_error* e);
REDRESS_C_API int redress_error_column(const redress_error* e);
/* The error as a wire-format error value (schemas/error.schema.json). */
REDRESS_C_API redress_code redress_error_json(const redress_error* e, char** json, redress_error** error);
REDRESS_C_API void redress_error_free(redress_error* e);

/* ---- policies: immutable; any thread --------------------------------------------------------- */

/* Loads a policy file (TOML, rules/README.md), its calendars and their holiday files.
 * Errors: REDRESS_E_LOAD at file:line:col. */
REDRESS_C_API redress_code redress_policy_load_file(const char* path, redress_policy** policy,
                                                    redress_error** error);
/* The same from text; `file_name` (may be NULL) names it in messages and resolves the relative
 * paths of its calendars. */
REDRESS_C_API redress_code redress_policy_load_string(const char* toml, const char* file_name,
                                                      redress_policy** policy, redress_error** error);
/* {"name": ..., "version": ..., "default_calendar": ..., "calendars": [...], "files": [...]}; files:
 * each calendar and holiday file the load read, once, in the order read, as {"path", "text"}
 * (path relative to the policy file; a file that is not UTF-8 as {"path", "hex"}): two loads of one
 * version whose files differ count differently, so a host reloads (redress_engine_reload_policy). */
REDRESS_C_API redress_code redress_policy_describe(const redress_policy* policy, char** json,
                                                   redress_error** error);
/* The policy's calendar by name (NULL: its default calendar); a new handle the caller frees.
 * Errors: REDRESS_E_INVALID_VALUE when the policy has none by that name. */
REDRESS_C_API redress_code redress_policy_calendar(const redress_policy* policy, const char* name,
                                                   redress_calendar** calendar, redress_error** error);
/* NULL is ignored. Engines keep what they need: a policy may be freed while engines use it. */
REDRESS_C_API void redress_policy_free(redress_policy* policy);

/* ---- calendars: immutable; any thread -------------------------------------------------------- */

REDRESS_C_API redress_code redress_calendar_load_file(const char* path, redress_calendar** calendar,
                                                      redress_error** error);
REDRESS_C_API redress_code redress_calendar_load_string(const char* toml, const char* file_name,
                                                        redress_calendar** calendar, redress_error** error);
/* The deadline for `duration` ("15 business days", "36 business hours", "8 weeks") from
 * `start`. `options` is NULL or a JSON object with any of "end" ("end-of-day",
 * "close-of-business", "same-time"), "rollover" ("none", "next-business-day") and "receipt"
 * ("as-received", "next-business-day-if-closed").
 * Result: the wire format's deadline value (schemas/deadline.schema.json), the same as
 * `redress due --json` writes: {"due": ..., "due_utc": "...Z", "from": ..., "duration":
 * "15 business days", "calendar": ..., "timezone": ...} and, for a day period, "end",
 * "rollover" and "receipt"; instants in the calendar's offset. (Before the first release it
 * was {"start", "duration", "deadline"}; unreleased, so ABI version 1 still.)
 * Errors: REDRESS_E_INVALID_VALUE (start, duration, options), REDRESS_E_CALENDAR. */
REDRESS_C_API redress_code redress_calendar_deadline(const redress_calendar* calendar, const char* start,
                                                     const char* duration, const char* options,
                                                     char** json, redress_error** error);
/* The working time between two instants: the wire format's elapsed value
 * (schemas/elapsed.schema.json), the same as `redress elapsed --json` writes: {"from": ...,
 * "to": ..., "calendar": ..., "timezone": ..., "duration": "PT11H30M", "duration_seconds":
 * 41400} (negative when `to` is before `from`). (Before the first release the duration was
 * "elapsed" and "elapsed_seconds", without calendar and timezone.) */
REDRESS_C_API redress_code redress_calendar_elapsed(const redress_calendar* calendar, const char* from,
                                                    const char* to, char** json, redress_error** error);
REDRESS_C_API void redress_calendar_free(redress_calendar* calendar);

/* ---- the engine: one thread at a time per engine ---------------------------------------------- */

/* A new engine whose current policy version is `policy`. */
REDRESS_C_API redress_code redress_engine_new(const redress_policy* policy, redress_engine** engine,
                                              redress_error** error);
/* NULL is ignored. */
REDRESS_C_API void redress_engine_free(redress_engine* engine);
/* Registers another policy version; new complaints use it when `make_current` is non-zero.
 * Errors: REDRESS_E_DUPLICATE_POLICY_VERSION when the engine holds that version already (the
 * engine is unchanged), REDRESS_E_LIMIT beyond 65,536 versions. */
REDRESS_C_API redress_code redress_engine_add_policy(redress_engine* engine, const redress_policy* policy,
                                                     int make_current, redress_error** error);
/* Opens a complaint from an intake (schemas/intake.schema.json). `actions`: a JSON array of
 * the actions now due (schemas/action.schema.json). */
REDRESS_C_API redress_code redress_engine_open(redress_engine* engine, const char* intake, char** actions,
                                               redress_error** error);
/* Applies an event (schemas/event.schema.json) to complaint `id`; the actions due before it
 * fire first. A rejected event changes nothing. */
REDRESS_C_API redress_code redress_engine_apply(redress_engine* engine, const char* id, const char* event,
                                                char** actions, redress_error** error);
/* Fires every action due at or before `now` across all complaints, in time order. */
REDRESS_C_API redress_code redress_engine_advance(redress_engine* engine, const char* now, char** actions,
                                                  redress_error** error);
/* {"next_wakeup": "2026-04-02T14:00:00+01:00"} or {"next_wakeup": null}, in the offset of the
 * current policy's default calendar. */
REDRESS_C_API redress_code redress_engine_next_wakeup(const redress_engine* engine, char** json,
                                                      redress_error** error);
/* The complaint's status with its clocks measured at `now` (schemas/status.schema.json). */
REDRESS_C_API redress_code redress_engine_status(const redress_engine* engine, const char* id,
                                                 const char* now, char** status, redress_error** error);
/* {"intake": {...}, "events": [...]}: the complaint's history as it was applied. */
REDRESS_C_API redress_code redress_engine_history(const redress_engine* engine, const char* id,
                                                  char** history, redress_error** error);
/* A snapshot of one complaint (schemas/snapshot.schema.json), to store and restore later. */
REDRESS_C_API redress_code redress_engine_snapshot(const redress_engine* engine, const char* id,
                                                   char** snapshot, redress_error** error);
/* Restores a snapshot; `actions` are those its history produced up to its "fired_until" (they
 * fired before, with the same ids: skip them by id). Errors: REDRESS_E_INVALID_VALUE (including
 * a format version newer than this library), REDRESS_E_DUPLICATE_COMPLAINT,
 * REDRESS_E_UNKNOWN_POLICY_VERSION. */
REDRESS_C_API redress_code redress_engine_restore(redress_engine* engine, const char* snapshot,
                                                  char** actions, redress_error** error);
/* Rebuilds complaint `id` under another registered policy version, keeping its paused time.
 * `actions`: what changed, a JSON array: the actions newly due (a changed one under its next
 * revision, ".../L1/c1/r2"), then a "retracted" action for each emitted action it changed.
 * Errors: REDRESS_E_UNKNOWN_COMPLAINT, REDRESS_E_UNKNOWN_POLICY_VERSION, or the error its
 * history meets under that version (the complaint is unchanged). */
REDRESS_C_API redress_code redress_engine_migrate(redress_engine* engine, const char* id,
                                                  const char* version, char** actions, redress_error** error);
/* Puts `policy` in the place of the version it names (the same policy reloaded after its text or
 * a calendar file changed) and recomputes every open complaint of that version as migrate does.
 * `actions`: what changed, complaint by complaint. All or nothing: errors
 * REDRESS_E_UNKNOWN_POLICY_VERSION, or the first complaint's error (the engine is unchanged). */
REDRESS_C_API redress_code redress_engine_reload_policy(redress_engine* engine, const redress_policy* policy,
                                                        char** actions, redress_error** error);
/* Removes a complaint. Errors: REDRESS_E_UNKNOWN_COMPLAINT. */
REDRESS_C_API redress_code redress_engine_erase(redress_engine* engine, const char* id, redress_error** error);
/* The number of complaints the engine holds. */
REDRESS_C_API redress_code redress_engine_size(const redress_engine* engine, size_t* size, redress_error** error);

#ifdef __cplusplus
}
#endif

#endif
