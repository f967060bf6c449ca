/* The C ABI from C99: every function of redress.h, and every error path a caller can provoke.
 * The expected values are worked by hand from rules/iso10002.toml and the England and Wales
 * calendar (Mon-Fri 09:00-17:00 Europe/London; Good Friday 3 April and Easter Monday 6 April
 * 2026 are bank holidays):
 * - 8 business days from Wed 1 April 2026 14:00 BST: the business days after it are 2, 7, 8,
 *   9, 10, 13, 14 and 15 April, so the deadline is 15 April 23:59:59 BST (end of day), or
 *   17:00 BST at close of business.
 * - working time from 1 April 14:00 to 7 April 10:00: 3 h + 8 h (2 April) + 1 h = 12 h.
 * - the final response's 50% level: 67 working hours in all (3 h on 1 April, 8 h on each of
 *   the 8 days), half is 33 h 30 min: 27 h by the end of 8 April, 6 h 30 min on 9 April, so
 *   9 April 15:30 BST. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redress/redress.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                         \
  do {                                                                      \
    ++checks;                                                               \
    if (!(cond)) {                                                          \
      ++failures;                                                           \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                       \
  } while (0)

static int contains(const char* text, const char* part) { return text && strstr(text, part) != NULL; }

/* Checks that `code` is `expected` and that the error has that code and a message containing
 * `part`; frees the error. */
static void expect_error(int line, redress_code code, redress_error* e, redress_code expected, const char* part) {
  ++checks;
  if (code != expected || !e || redress_error_code(e) != expected || !contains(redress_error_message(e), part)) {
    ++failures;
    fprintf(stderr, "capi_test.c:%d: expected %s containing \"%s\", got %s: %s\n", line,
            redress_code_name(expected), part, redress_code_name(code), e ? redress_error_message(e) : "(no error)");
  }
  redress_error_free(e);
}
#define EXPECT_ERROR(call, expected, part)       \
  do {                                           \
    redress_error* err_ = NULL;                  \
    redress_code code_ = (call);                 \
    expect_error(__LINE__, code_, err_, expected, part); \
  } while (0)
/* The macro's calls name `&err_` as their error argument. */
#define ERR (&err_)

#define EXPECT_OK(call)                                                                      \
  do {                                                                                       \
    redress_error* err_ = NULL;                                                              \
    redress_code code_ = (call);                                                             \
    ++checks;                                                                                \
    if (code_ != REDRESS_OK || err_ != NULL) {                                               \
      ++failures;                                                                            \
      fprintf(stderr, "%s:%d: expected ok, got %s: %s\n", __FILE__, __LINE__, redress_code_name(code_), \
              err_ ? redress_error_message(err_) : "");                                     \
    }                                                                                        \
    redress_error_free(err_);                                                                \
  } while (0)

static char* read_file(const char* path) {
  FILE* f = fopen(path, "rb");
  long n;
  char* text;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  text = malloc((size_t)n + 1);
  if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
    free(text);
    text = NULL;
  }
  if (text) text[n] = '\0';
  fclose(f);
  return text;
}

static const char* intake_c17 =
    "{\"id\": \"C-17\", \"received\": \"2026-04-01T13:00:00Z\", \"attributes\": {\"kind\": \"product-quality\", "
    "\"channel\": \"email\", \"customer_name\": \"Ann Example\", \"return_address\": \"ann@example.org\"}}";

int main(int argc, char** argv) {
  char path[4096];
  char* text = NULL;
  char* toml = NULL;
  redress_policy* policy = NULL;
  redress_policy* policy2 = NULL;
  redress_calendar* calendar = NULL;
  redress_calendar* from_file = NULL;
  redress_engine* engine = NULL;
  redress_engine* other = NULL;
  redress_error* err = NULL;
  size_t size = 99;
  char* snapshot = NULL;
  char* status_a = NULL;
  char* status_b = NULL;
  redress_code code;

  if (argc < 2) {
    fprintf(stderr, "usage: capi_test SOURCE_DIR\n");
    return 2;
  }

  /* ---- library ---- */
  CHECK(redress_abi_version() == REDRESS_ABI_VERSION);
  CHECK(strlen(redress_version()) >= 5);
  CHECK(strcmp(redress_code_name(REDRESS_E_REJECTED_EVENT), "rejected_event") == 0);
  CHECK(strcmp(redress_code_name((redress_code)99), "unknown_code") == 0);
  redress_free(NULL);
  redress_error_free(NULL);
  CHECK(redress_error_code(NULL) == REDRESS_E_INVALID_ARGUMENT);
  CHECK(strcmp(redress_error_message(NULL), "") == 0);

  /* ---- policies ---- */
  snprintf(path, sizeof path, "%s/rules/no-such-policy.toml", argv[1]);
  EXPECT_ERROR(redress_policy_load_file(path, &policy, ERR), REDRESS_E_LOAD, "no-such-policy.toml");
  CHECK(policy == NULL);
  EXPECT_ERROR(redress_policy_load_file(NULL, &policy, ERR), REDRESS_E_INVALID_ARGUMENT, "path is NULL");
  EXPECT_ERROR(redress_policy_load_file(path, NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "policy is NULL");

  /* A syntax error is located: file, line, column. */
  code = redress_policy_load_string("[policy]\nname = \n", "inline.toml", &policy, &err);
  CHECK(code == REDRESS_E_LOAD);
  CHECK(strcmp(redress_error_file(err), "inline.toml") == 0);
  CHECK(redress_error_line(err) == 2);
  CHECK(redress_error_column(err) > 0);
  CHECK(contains(redress_error_message(err), "inline.toml:2:"));
  EXPECT_OK(redress_error_json(err, &text, ERR));
  CHECK(contains(text, "\"code\":\"load_error\""));
  CHECK(contains(text, "\"file\":\"inline.toml\""));
  CHECK(contains(text, "\"line\":2"));
  redress_free(text);
  EXPECT_ERROR(redress_error_json(NULL, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "error is NULL");
  EXPECT_ERROR(redress_error_json(err, NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "json is NULL");
  redress_error_free(err);
  err = NULL;
  EXPECT_ERROR(redress_policy_load_string(NULL, "x.toml", &policy, ERR), REDRESS_E_INVALID_ARGUMENT, "toml is NULL");
  EXPECT_ERROR(redress_policy_load_string("", "x.toml", NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "policy is NULL");
  /* No error out-parameter: the code alone. */
  CHECK(redress_policy_load_string("[policy", NULL, &policy, NULL) == REDRESS_E_LOAD);

  snprintf(path, sizeof path, "%s/rules/iso10002.toml", argv[1]);
  EXPECT_OK(redress_policy_load_file(path, &policy, ERR));
  CHECK(policy != NULL);
  EXPECT_OK(redress_policy_describe(policy, &text, ERR));
  CHECK(contains(text, "\"name\":\"Retail complaints (ISO 10002)\""));
  CHECK(contains(text, "\"version\":\"2026.1\""));
  CHECK(contains(text, "\"default_calendar\":\"england-wales\""));
  /* The files the load read, relative to the policy, with their text. */
  CHECK(contains(text, "\"files\":[{\"path\":\"calendars/england-wales.toml\",\"text\":\"# england-wales: bank holidays"));
  redress_free(text);
  EXPECT_ERROR(redress_policy_describe(NULL, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "policy is NULL");
  EXPECT_ERROR(redress_policy_describe(policy, NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "json is NULL");

  /* A second version of the same policy, from a string, for add_policy and migrate. */
  toml = read_file(path);
  CHECK(toml != NULL);
  if (toml) {
    char* v = strstr(toml, "version = \"2026.1\"");
    CHECK(v != NULL);
    if (v) memcpy(v, "version = \"2026.2\"", 18);
    EXPECT_OK(redress_policy_load_string(toml, path, &policy2, ERR));
  }

  /* ---- calendars ---- */
  EXPECT_OK(redress_policy_calendar(policy, NULL, &calendar, ERR));
  EXPECT_ERROR(redress_policy_calendar(policy, "mars", &from_file, ERR), REDRESS_E_INVALID_VALUE, "mars");
  CHECK(from_file == NULL);
  EXPECT_ERROR(redress_policy_calendar(NULL, NULL, &from_file, ERR), REDRESS_E_INVALID_ARGUMENT, "policy is NULL");
  EXPECT_ERROR(redress_policy_calendar(policy, NULL, NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "calendar is NULL");

  EXPECT_OK(redress_calendar_deadline(calendar, "2026-04-01T14:00:00+01:00", "8 business days", NULL, &text, ERR));
  /* The wire format's deadline value, as `redress due --json` writes it (schemas/deadline.schema.json):
   * 8 business days from Wed 1 April, Good Friday and Easter Monday skipped: Wed 15 April. */
  CHECK(text && strcmp(text, "{\"due\":\"2026-04-15T23:59:59+01:00\",\"due_utc\":\"2026-04-15T22:59:59Z\","
                             "\"from\":\"2026-04-01T14:00:00+01:00\",\"duration\":\"8 business days\","
                             "\"calendar\":\"england-wales\",\"timezone\":\"Europe/London\",\"end\":\"end-of-day\","
                             "\"rollover\":\"none\",\"receipt\":\"as-received\"}") == 0);
  redress_free(text);
  /* Any offset in, the calendar's offset out. */
  EXPECT_OK(redress_calendar_deadline(calendar, "2026-04-01T13:00:00Z", "8 business days",
                                      "{\"end\": \"close-of-business\"}", &text, ERR));
  CHECK(contains(text, "\"from\":\"2026-04-01T14:00:00+01:00\""));
  CHECK(contains(text, "\"due\":\"2026-04-15T17:00:00+01:00\""));
  CHECK(contains(text, "\"end\":\"close-of-business\""));
  redress_free(text);
  /* A working-hours duration has no day-period options: end, rollover and receipt are absent. */
  EXPECT_OK(redress_calendar_deadline(calendar, "2026-04-01T14:00:00+01:00", "36 business hours", NULL, &text, ERR));
  CHECK(text && strcmp(text, "{\"due\":\"2026-04-10T10:00:00+01:00\",\"due_utc\":\"2026-04-10T09:00:00Z\","
                             "\"from\":\"2026-04-01T14:00:00+01:00\",\"duration\":\"36 business hours\","
                             "\"calendar\":\"england-wales\",\"timezone\":\"Europe/London\"}") == 0);
  redress_free(text);
  EXPECT_ERROR(redress_calendar_deadline(calendar, "2026-04-01 14:00", "8 business days", NULL, &text, ERR),
               REDRESS_E_INVALID_VALUE, "start: ");
  CHECK(text == NULL);
  EXPECT_ERROR(redress_calendar_deadline(calendar, "2026-04-01T14:00:00Z", "8 fortnights", NULL, &text, ERR),
               REDRESS_E_INVALID_VALUE, "duration: ");
  EXPECT_ERROR(redress_calendar_deadline(calendar, "2026-04-01T14:00:00Z", "8 days", "{\"end\": ", &text, ERR),
               REDRESS_E_INVALID_JSON, "options:1:");
  EXPECT_ERROR(redress_calendar_deadline(calendar, "2026-04-01T14:00:00Z", "8 days", "{\"end\": \"noon\"}", &text, ERR),
               REDRESS_E_INVALID_VALUE, "/end: expected \"end-of-day\"");
  EXPECT_ERROR(redress_calendar_deadline(calendar, "2026-04-01T14:00:00Z", "8 days", "{\"ending\": 1}", &text, ERR),
               REDRESS_E_INVALID_VALUE, "unknown key \"ending\"");
  EXPECT_ERROR(redress_calendar_deadline(calendar, "2026-04-01T14:00:00Z", "8 days", "[]", &text, ERR),
               REDRESS_E_INVALID_VALUE, "expected a JSON object");
  /* The calendar's data ends on 9999-12-31: a deadline beyond it is an error, not a guess. */
  EXPECT_ERROR(redress_calendar_deadline(calendar, "9999-12-20T10:00:00Z", "30 business days", NULL, &text, ERR),
               REDRESS_E_CALENDAR, "goes beyond 9999-12-31");
  EXPECT_ERROR(redress_calendar_deadline(NULL, "2026-04-01T14:00:00Z", "8 days", NULL, &text, ERR),
               REDRESS_E_INVALID_ARGUMENT, "calendar is NULL");
  EXPECT_ERROR(redress_calendar_deadline(calendar, NULL, "8 days", NULL, &text, ERR), REDRESS_E_INVALID_ARGUMENT,
               "start is NULL");
  EXPECT_ERROR(redress_calendar_deadline(calendar, "2026-04-01T14:00:00Z", NULL, NULL, &text, ERR),
               REDRESS_E_INVALID_ARGUMENT, "duration is NULL");
  EXPECT_ERROR(redress_calendar_deadline(calendar, "2026-04-01T14:00:00Z", "8 days", NULL, NULL, ERR),
               REDRESS_E_INVALID_ARGUMENT, "json is NULL");

  EXPECT_OK(redress_calendar_elapsed(calendar, "2026-04-01T14:00:00+01:00", "2026-04-07T10:00:00+01:00", &text, ERR));
  /* The wire format's elapsed value, as `redress elapsed --json` writes it: 3H Wed 1, 8H Thu 2,
   * Good Friday and Easter Monday skipped, 1H Tue 7 (09:00-10:00): 12H. */
  CHECK(text && strcmp(text, "{\"from\":\"2026-04-01T14:00:00+01:00\",\"to\":\"2026-04-07T10:00:00+01:00\","
                             "\"calendar\":\"england-wales\",\"timezone\":\"Europe/London\","
                             "\"duration\":\"PT12H\",\"duration_seconds\":43200}") == 0);
  redress_free(text);
  EXPECT_OK(redress_calendar_elapsed(calendar, "2026-04-07T10:00:00+01:00", "2026-04-01T14:00:00+01:00", &text, ERR));
  CHECK(contains(text, "\"duration\":\"-PT12H\",\"duration_seconds\":-43200"));
  redress_free(text);
  EXPECT_ERROR(redress_calendar_elapsed(calendar, "yesterday", "2026-04-07T10:00:00Z", &text, ERR),
               REDRESS_E_INVALID_VALUE, "from: ");
  EXPECT_ERROR(redress_calendar_elapsed(calendar, "2026-04-07T10:00:00Z", NULL, &text, ERR),
               REDRESS_E_INVALID_ARGUMENT, "to is NULL");
  EXPECT_ERROR(redress_calendar_elapsed(NULL, "2026-04-07T10:00:00Z", "2026-04-07T10:00:00Z", &text, ERR),
               REDRESS_E_INVALID_ARGUMENT, "calendar is NULL");
  EXPECT_ERROR(redress_calendar_elapsed(calendar, "2026-04-07T10:00:00Z", "2026-04-07T10:00:00Z", NULL, ERR),
               REDRESS_E_INVALID_ARGUMENT, "json is NULL");
  EXPECT_ERROR(redress_calendar_elapsed(calendar, "1970-01-01T10:00:00Z", "2026-04-07T10:00:00Z", &text, ERR),
               REDRESS_E_CALENDAR, "the date 1970-01-01 is outside it");

  snprintf(path, sizeof path, "%s/rules/calendars/england-wales.toml", argv[1]);
  EXPECT_OK(redress_calendar_load_file(path, &from_file, ERR));
  EXPECT_OK(redress_calendar_elapsed(from_file, "2026-04-01T14:00:00+01:00", "2026-04-07T10:00:00+01:00", &text, ERR));
  CHECK(contains(text, "\"duration_seconds\":43200"));
  redress_free(text);
  redress_calendar_free(from_file);
  from_file = NULL;
  EXPECT_ERROR(redress_calendar_load_file("no-such-calendar.toml", &from_file, ERR), REDRESS_E_LOAD,
               "no-such-calendar.toml");
  EXPECT_ERROR(redress_calendar_load_file(NULL, &from_file, ERR), REDRESS_E_INVALID_ARGUMENT, "path is NULL");
  EXPECT_ERROR(redress_calendar_load_file(path, NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "calendar is NULL");
  EXPECT_OK(redress_calendar_load_string(
      "[calendar]\nname = \"utc\"\ntimezone = \"UTC\"\n[calendar.hours]\nmon = [\"09:00-17:00\"]\n", "utc.toml",
      &from_file, ERR));
  redress_calendar_free(from_file);
  from_file = NULL;
  EXPECT_ERROR(redress_calendar_load_string("[calendar]\nname = \"x\"\ntimezone = \"Mars/Olympus\"\n", "mars.toml",
                                            &from_file, ERR),
               REDRESS_E_LOAD, "mars.toml:3");
  EXPECT_ERROR(redress_calendar_load_string(NULL, NULL, &from_file, ERR), REDRESS_E_INVALID_ARGUMENT, "toml is NULL");
  EXPECT_ERROR(redress_calendar_load_string("", NULL, NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "calendar is NULL");
  redress_calendar_free(NULL);

  /* ---- the engine ---- */
  EXPECT_ERROR(redress_engine_new(NULL, &engine, ERR), REDRESS_E_INVALID_ARGUMENT, "policy is NULL");
  EXPECT_ERROR(redress_engine_new(policy, NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "engine is NULL");
  EXPECT_OK(redress_engine_new(policy, &engine, ERR));

  EXPECT_OK(redress_engine_open(engine, intake_c17, &text, ERR));
  CHECK(text && strcmp(text, "[]") == 0);
  redress_free(text);
  EXPECT_ERROR(redress_engine_open(engine, intake_c17, &text, ERR), REDRESS_E_DUPLICATE_COMPLAINT, "C-17");
  CHECK(text == NULL);
  EXPECT_ERROR(redress_engine_open(engine, "{\"id\": \"C-18\", ", &text, ERR), REDRESS_E_INVALID_JSON, "intake:1:");
  EXPECT_ERROR(redress_engine_open(engine, "{\"id\": \"C-18\"}", &text, ERR), REDRESS_E_INVALID_VALUE,
               "missing \"received\"");
  EXPECT_ERROR(redress_engine_open(engine, "{\"id\": \"C-18\", \"received\": \"2026-04-01T14:00:00\"}", &text, ERR),
               REDRESS_E_INVALID_VALUE, "/received: ");
  EXPECT_ERROR(redress_engine_open(engine, "{\"id\": \"C-18\", \"recieved\": \"2026-04-01T14:00:00Z\"}", &text, ERR),
               REDRESS_E_INVALID_VALUE, "unknown key \"recieved\"");
  EXPECT_ERROR(redress_engine_open(engine,
                                   "{\"id\": \"C-18\", \"received\": \"2026-04-01T14:00:00Z\", "
                                   "\"attributes\": {\"kind\": \"product-quality\", \"channel\": \"phone\"}}",
                                   &text, ERR),
               REDRESS_E_INVALID_INTAKE, "customer_name");
  /* Received on the calendar's last day: its deadlines lie beyond the calendar's data. */
  EXPECT_ERROR(redress_engine_open(engine,
                                   "{\"id\": \"C-19\", \"received\": \"9999-12-31T10:00:00Z\", \"attributes\": "
                                   "{\"kind\": \"staff\", \"channel\": \"phone\", \"customer_name\": \"B\"}}",
                                   &text, ERR),
               REDRESS_E_CALENDAR, "beyond 9999-12-31");
  EXPECT_ERROR(redress_engine_open(NULL, intake_c17, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "engine is NULL");
  EXPECT_ERROR(redress_engine_open(engine, NULL, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "intake is NULL");
  EXPECT_ERROR(redress_engine_open(engine, intake_c17, NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "actions is NULL");

  EXPECT_OK(redress_engine_apply(engine, "C-17", "{\"event\": \"acknowledge\", \"at\": \"2026-04-01T14:30:00+01:00\"}",
                                 &text, ERR));
  CHECK(text && strcmp(text, "[]") == 0);
  redress_free(text);
  EXPECT_OK(redress_engine_apply(engine, "C-17",
                                 "{\"event\": \"register\", \"at\": \"2026-04-02T09:00:00+01:00\", \"actor\": \"ann\"}",
                                 &text, ERR));
  CHECK(text && strcmp(text, "[{\"id\":\"C-17/owner/quality/e2\",\"kind\":\"assignment\",\"complaint\":\"C-17\","
                             "\"target\":\"\",\"level\":0,\"cycle\":1,\"at\":\"2026-04-02T09:00:00+01:00\","
                             "\"who\":\"quality\",\"notify\":[],\"assign\":\"quality\",\"record\":\"\","
                             "\"summary\":\"C-17 is now owned by quality (Quality manager)\",\"by_when\":null,"
                             "\"verifier\":\"\",\"deliver_at\":null}]") == 0);
  redress_free(text);
  EXPECT_ERROR(redress_engine_apply(engine, "C-99", "{\"event\": \"close\", \"at\": \"2026-04-03T09:00:00Z\"}", &text,
                                    ERR),
               REDRESS_E_UNKNOWN_COMPLAINT, "C-99");
  EXPECT_ERROR(redress_engine_apply(engine, "C-17", "{\"event\": \"close\", \"at\": \"2026-04-03T09:00:00Z\"}", &text,
                                    ERR),
               REDRESS_E_REJECTED_EVENT, "registered");
  EXPECT_ERROR(redress_engine_apply(engine, "C-17",
                                    "{\"event\": \"start_investigation\", \"at\": \"2026-04-01T09:00:00Z\"}", &text, ERR),
               REDRESS_E_OUT_OF_ORDER, "earlier than its receipt");
  EXPECT_OK(redress_engine_apply(engine, "C-17", "{\"event\": \"start_investigation\", \"at\": \"2026-04-02T10:00:00+01:00\"}",
                                 &text, ERR));
  redress_free(text);
  /* The policy requires a reason for a pause: refused, and nothing changes. */
  EXPECT_ERROR(redress_engine_apply(engine, "C-17",
                                    "{\"event\": \"request_information\", \"at\": \"2026-04-02T10:00:00+01:00\"}", &text,
                                    ERR),
               REDRESS_E_PAUSE_REFUSED, "reason");
  EXPECT_ERROR(redress_engine_apply(engine, "C-17", "{\"event\": \"shout\", \"at\": \"2026-04-02T10:00:00Z\"}", &text,
                                    ERR),
               REDRESS_E_INVALID_VALUE, "/event: unknown event \"shout\"");
  EXPECT_ERROR(redress_engine_apply(engine, "C-17", "{\"event\": \"escalate\"", &text, ERR), REDRESS_E_INVALID_JSON,
               "event:1:");
  EXPECT_ERROR(redress_engine_apply(engine, NULL, "{}", &text, ERR), REDRESS_E_INVALID_ARGUMENT, "id is NULL");
  EXPECT_ERROR(redress_engine_apply(engine, "C-17", NULL, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "event is NULL");
  EXPECT_ERROR(redress_engine_apply(NULL, "C-17", "{}", &text, ERR), REDRESS_E_INVALID_ARGUMENT, "engine is NULL");
  EXPECT_ERROR(redress_engine_apply(engine, "C-17", "{}", NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "actions is NULL");

  /* Time moves on: the final response's 50% level, at its exact instant. */
  EXPECT_OK(redress_engine_next_wakeup(engine, &text, ERR));
  CHECK(text && strcmp(text, "{\"next_wakeup\":\"2026-04-09T15:30:00+01:00\"}") == 0);
  redress_free(text);
  EXPECT_OK(redress_engine_advance(engine, "2026-04-09T15:29:59+01:00", &text, ERR));
  CHECK(text && strcmp(text, "[]") == 0);
  redress_free(text);
  EXPECT_OK(redress_engine_advance(engine, "2026-04-09T14:30:00Z", &text, ERR));
  CHECK(contains(text, "\"id\":\"C-17/final-response/L1/c1\""));
  CHECK(contains(text, "\"at\":\"2026-04-09T15:30:00+01:00\""));
  CHECK(contains(text, "\"by_when\":\"2026-04-15T23:59:59+01:00\""));
  CHECK(contains(text, "\"level\":1"));
  CHECK(contains(text, "\"notify\":[\"quality\"]"));
  redress_free(text);
  EXPECT_ERROR(redress_engine_advance(engine, "soon", &text, ERR), REDRESS_E_INVALID_VALUE, "now: ");
  EXPECT_ERROR(redress_engine_advance(engine, NULL, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "now is NULL");
  EXPECT_ERROR(redress_engine_advance(NULL, "2026-04-09T14:30:00Z", &text, ERR), REDRESS_E_INVALID_ARGUMENT,
               "engine is NULL");
  EXPECT_ERROR(redress_engine_advance(engine, "2026-04-09T14:30:00Z", NULL, ERR), REDRESS_E_INVALID_ARGUMENT,
               "actions is NULL");
  EXPECT_OK(redress_engine_next_wakeup(engine, &text, ERR));
  CHECK(text && strcmp(text, "{\"next_wakeup\":\"2026-04-10T00:00:00+01:00\"}") == 0);
  redress_free(text);
  EXPECT_ERROR(redress_engine_next_wakeup(NULL, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "engine is NULL");
  EXPECT_ERROR(redress_engine_next_wakeup(engine, NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "json is NULL");

  EXPECT_OK(redress_engine_status(engine, "C-17", "2026-04-09T16:30:00+01:00", &status_a, ERR));
  CHECK(contains(status_a, "\"state\":\"investigating\""));
  CHECK(contains(status_a, "\"owner\":\"quality\""));
  CHECK(contains(status_a, "\"as_of\":\"2026-04-09T16:30:00+01:00\""));
  CHECK(contains(status_a, "\"due\":\"2026-04-15T23:59:59+01:00\""));
  /* 34 h 30 min of 67 consumed (27 h by 8 April, 7 h 30 min on 9 April). */
  CHECK(contains(status_a, "\"consumed\":\"PT34H30M\",\"consumed_seconds\":124200"));
  EXPECT_ERROR(redress_engine_status(engine, "C-99", "2026-04-09T16:30:00Z", &text, ERR), REDRESS_E_UNKNOWN_COMPLAINT,
               "C-99");
  EXPECT_ERROR(redress_engine_status(engine, "C-17", "later", &text, ERR), REDRESS_E_INVALID_VALUE, "now: ");
  EXPECT_ERROR(redress_engine_status(engine, NULL, "2026-04-09T16:30:00Z", &text, ERR), REDRESS_E_INVALID_ARGUMENT,
               "id is NULL");
  EXPECT_ERROR(redress_engine_status(NULL, "C-17", "2026-04-09T16:30:00Z", &text, ERR), REDRESS_E_INVALID_ARGUMENT,
               "engine is NULL");
  EXPECT_ERROR(redress_engine_status(engine, "C-17", "2026-04-09T16:30:00Z", NULL, ERR), REDRESS_E_INVALID_ARGUMENT,
               "status is NULL");

  EXPECT_OK(redress_engine_history(engine, "C-17", &text, ERR));
  CHECK(contains(text, "\"events\":[{\"event\":\"acknowledge\",\"at\":\"2026-04-01T14:30:00+01:00\"},"
                       "{\"event\":\"register\",\"at\":\"2026-04-02T09:00:00+01:00\",\"actor\":\"ann\"},"
                       "{\"event\":\"start_investigation\",\"at\":\"2026-04-02T10:00:00+01:00\"}]"));
  CHECK(contains(text, "{\"intake\":{\"id\":\"C-17\",\"received\":\"2026-04-01T14:00:00+01:00\",\"attributes\":"));
  redress_free(text);
  EXPECT_ERROR(redress_engine_history(engine, "C-99", &text, ERR), REDRESS_E_UNKNOWN_COMPLAINT, "C-99");
  EXPECT_ERROR(redress_engine_history(NULL, "C-17", &text, ERR), REDRESS_E_INVALID_ARGUMENT, "engine is NULL");
  EXPECT_ERROR(redress_engine_history(engine, NULL, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "id is NULL");
  EXPECT_ERROR(redress_engine_history(engine, "C-17", NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "history is NULL");

  /* ---- snapshot and restore: another engine continues exactly as this one ---- */
  EXPECT_OK(redress_engine_snapshot(engine, "C-17", &snapshot, ERR));
  CHECK(contains(snapshot, "\"format\":\"redress-snapshot\",\"format_version\":1"));
  CHECK(contains(snapshot, "\"fired_until\":\"2026-04-09T15:30:00+01:00\""));
  EXPECT_ERROR(redress_engine_snapshot(engine, "C-99", &text, ERR), REDRESS_E_UNKNOWN_COMPLAINT, "C-99");
  EXPECT_ERROR(redress_engine_snapshot(NULL, "C-17", &text, ERR), REDRESS_E_INVALID_ARGUMENT, "engine is NULL");
  EXPECT_ERROR(redress_engine_snapshot(engine, NULL, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "id is NULL");
  EXPECT_ERROR(redress_engine_snapshot(engine, "C-17", NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "snapshot is NULL");

  EXPECT_OK(redress_engine_new(policy, &other, ERR));
  EXPECT_OK(redress_engine_restore(other, snapshot, &text, ERR));
  /* The actions its history produced up to fired_until: the assignment and the 50% level. */
  CHECK(contains(text, "C-17/owner/quality/e2"));
  CHECK(contains(text, "C-17/final-response/L1/c1"));
  redress_free(text);
  EXPECT_OK(redress_engine_status(other, "C-17", "2026-04-09T16:30:00+01:00", &status_b, ERR));
  CHECK(status_a && status_b && strcmp(status_a, status_b) == 0);
  EXPECT_ERROR(redress_engine_restore(other, snapshot, &text, ERR), REDRESS_E_DUPLICATE_COMPLAINT, "C-17");
  EXPECT_ERROR(redress_engine_restore(other, "{\"format\": \"redress-snapshot\", \"format_version\": 99}", &text, ERR),
               REDRESS_E_INVALID_VALUE, "format version 99");
  EXPECT_ERROR(redress_engine_restore(other, "{\"format\": \"tar\"}", &text, ERR), REDRESS_E_INVALID_VALUE,
               "/format: expected \"redress-snapshot\"");
  EXPECT_ERROR(redress_engine_restore(other, "[1, 2", &text, ERR), REDRESS_E_INVALID_JSON, "snapshot:1:");
  {
    /* The same snapshot under a policy version the engine does not know. */
    char* unknown = malloc(strlen(snapshot) + 1);
    char* v;
    CHECK(unknown != NULL);
    if (unknown) {
      strcpy(unknown, snapshot);
      v = strstr(unknown, "\"policy_version\":\"2026.1\"");
      CHECK(v != NULL);
      if (v) memcpy(v, "\"policy_version\":\"1999.9\"", 25);
      v = strstr(unknown, "\"id\":\"C-17\"");
      if (v) memcpy(v, "\"id\":\"C-20\"", 11);
      EXPECT_ERROR(redress_engine_restore(other, unknown, &text, ERR), REDRESS_E_UNKNOWN_POLICY_VERSION, "1999.9");
      free(unknown);
    }
  }
  EXPECT_ERROR(redress_engine_restore(NULL, snapshot, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "engine is NULL");
  EXPECT_ERROR(redress_engine_restore(other, NULL, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "snapshot is NULL");
  EXPECT_ERROR(redress_engine_restore(other, snapshot, NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "actions is NULL");
  redress_free(snapshot);
  redress_free(status_a);
  redress_free(status_b);

  /* ---- policy versions and migration ---- */
  EXPECT_ERROR(redress_engine_migrate(other, "C-17", "2026.2", &text, ERR), REDRESS_E_UNKNOWN_POLICY_VERSION, "2026.2");
  if (policy2) EXPECT_OK(redress_engine_add_policy(other, policy2, 0, ERR));
  /* A version the engine holds already is refused (restore would otherwise pick one of two). */
  if (policy2)
    EXPECT_ERROR(redress_engine_add_policy(other, policy2, 1, ERR), REDRESS_E_DUPLICATE_POLICY_VERSION,
                 "policy version \"2026.2\" is already in this engine");
  EXPECT_ERROR(redress_engine_add_policy(other, policy, 1, ERR), REDRESS_E_DUPLICATE_POLICY_VERSION, "\"2026.1\"");
  CHECK(strcmp(redress_code_name(REDRESS_E_DUPLICATE_POLICY_VERSION), "duplicate_policy_version") == 0);
  /* 2026.2 differs from 2026.1 in its version alone: every action C-17 emitted is the same under
     it, so the migration changes nothing and returns no action (was: every action again). */
  EXPECT_OK(redress_engine_migrate(other, "C-17", "2026.2", &text, ERR));
  CHECK(text && strcmp(text, "[]") == 0);
  redress_free(text);
  EXPECT_OK(redress_engine_status(other, "C-17", "2026-04-09T16:30:00+01:00", &text, ERR));
  CHECK(contains(text, "\"policy_version\":\"2026.2\""));
  redress_free(text);
  /* The same version loaded again (here: the same text) takes its place; nothing C-17 emitted
     changes, so nothing is returned. A version the engine does not hold is not reloaded. */
  EXPECT_OK(redress_engine_reload_policy(other, policy2, &text, ERR));
  CHECK(text && strcmp(text, "[]") == 0);
  redress_free(text);
  EXPECT_ERROR(redress_engine_reload_policy(engine, policy2, &text, ERR), REDRESS_E_UNKNOWN_POLICY_VERSION,
               "no policy version \"2026.2\" in this engine to reload");
  EXPECT_ERROR(redress_engine_reload_policy(NULL, policy2, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "engine is NULL");
  EXPECT_ERROR(redress_engine_reload_policy(other, NULL, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "policy is NULL");
  EXPECT_ERROR(redress_engine_reload_policy(other, policy2, NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "actions is NULL");
  EXPECT_ERROR(redress_engine_migrate(other, "C-99", "2026.2", &text, ERR), REDRESS_E_UNKNOWN_COMPLAINT, "C-99");
  EXPECT_ERROR(redress_engine_migrate(NULL, "C-17", "2026.2", &text, ERR), REDRESS_E_INVALID_ARGUMENT, "engine is NULL");
  EXPECT_ERROR(redress_engine_migrate(other, NULL, "2026.2", &text, ERR), REDRESS_E_INVALID_ARGUMENT, "id is NULL");
  EXPECT_ERROR(redress_engine_migrate(other, "C-17", NULL, &text, ERR), REDRESS_E_INVALID_ARGUMENT, "version is NULL");
  EXPECT_ERROR(redress_engine_migrate(other, "C-17", "2026.2", NULL, ERR), REDRESS_E_INVALID_ARGUMENT,
               "actions is NULL");
  EXPECT_ERROR(redress_engine_add_policy(NULL, policy, 1, ERR), REDRESS_E_INVALID_ARGUMENT, "engine is NULL");
  EXPECT_ERROR(redress_engine_add_policy(other, NULL, 1, ERR), REDRESS_E_INVALID_ARGUMENT, "policy is NULL");
  /* The engine's limit of 65,536 versions (std::length_error, REDRESS_E_LIMIT through the wire
   * format's one rule) is tested in C++ (engine_replay_tests.cpp): 65,534 distinct versions parsed
   * from text here took minutes. */

  /* ---- erase and size ---- */
  EXPECT_OK(redress_engine_size(other, &size, ERR));
  CHECK(size == 1);
  EXPECT_OK(redress_engine_erase(other, "C-17", ERR));
  EXPECT_ERROR(redress_engine_erase(other, "C-17", ERR), REDRESS_E_UNKNOWN_COMPLAINT, "C-17");
  EXPECT_OK(redress_engine_size(other, &size, ERR));
  CHECK(size == 0);
  EXPECT_ERROR(redress_engine_erase(NULL, "C-17", ERR), REDRESS_E_INVALID_ARGUMENT, "engine is NULL");
  EXPECT_ERROR(redress_engine_erase(other, NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "id is NULL");
  EXPECT_ERROR(redress_engine_size(NULL, &size, ERR), REDRESS_E_INVALID_ARGUMENT, "engine is NULL");
  EXPECT_ERROR(redress_engine_size(other, NULL, ERR), REDRESS_E_INVALID_ARGUMENT, "size is NULL");

  /* The policy handle may go before the engines that use it. */
  redress_policy_free(policy);
  redress_policy_free(policy2);
  EXPECT_OK(redress_engine_advance(engine, "2026-04-30T00:00:00Z", &text, ERR));
  CHECK(contains(text, "C-17/final-response/breach/c1"));
  redress_free(text);

  redress_engine_free(engine);
  redress_engine_free(other);
  redress_engine_free(NULL);
  redress_policy_free(NULL);
  redress_calendar_free(calendar);
  free(toml);

  if (failures) {
    fprintf(stderr, "%d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("all %d checks passed\n", checks);
  return 0;
}
