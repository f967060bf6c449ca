// The engine's compact storage: an intake packed into one string comes back exactly as it was
// opened, and the open-addressing id index finds every open complaint through growth, erasure
// and reuse of erased entries.
#include <catch2/catch.hpp>

#include <string>

#include "redress/engine.hpp"
#include "support/shipped.hpp"

using namespace redress;
using redress::testing::iso10002;

namespace {

const complaint_attributes product_email{{"kind", "product-quality"},
                                         {"channel", "email"},
                                         {"priority", "normal"},
                                         {"customer_name", "Ann Example"},
                                         {"return_address", "ann@example.org"}};

std::string id_of(int i) { return "C-" + std::to_string(i); }

}  // namespace

TEST_CASE("an engine gives back each complaint's intake exactly as it was opened") {
  engine e(iso10002());
  complaint_attributes attributes = product_email;
  // Lengths of 0, 127, 128 and 300 bytes (one and two length bytes), UTF-8 and a NUL byte.
  attributes["note"] = "";
  attributes["reference"] = std::string(127, 'r');
  attributes["summary"] = std::string(128, 's');
  attributes["letter"] = std::string(300, 'l');
  attributes["customer_name"] = "Zo\xc3\xab O\xe2\x80\x99Neill";
  attributes["raw"] = std::string("a\0b", 3);
  const complaint_intake opened{std::string(200, 'X'), instant::parse("2026-04-01T10:00:00+01:00"), attributes};
  REQUIRE(e.open(opened));

  const auto back = e.intake(opened.id);
  REQUIRE(back);
  CHECK(back->id == opened.id);
  CHECK(back->received == instant::parse("2026-04-01T09:00:00Z"));
  CHECK(back->attributes == attributes);
  CHECK(back->attributes.at("raw").size() == 3);
  CHECK(back->attributes.at("letter").size() == 300);

  const auto snap = e.snapshot(opened.id);
  REQUIRE(snap);
  CHECK(snap->intake.attributes == attributes);
  CHECK_FALSE(e.intake("C-404"));
}

TEST_CASE("the id index finds every open complaint after growth, erasure and reuse") {
  engine e(iso10002());
  const instant received = instant::parse("2026-04-01T10:00:00+01:00");
  for (int i = 0; i < 5000; ++i) REQUIRE(e.open({id_of(i), received, product_email}));
  CHECK(e.size() == 5000);
  // Erase every odd one: their entries become tombstones the even ones' probes pass over.
  for (int i = 1; i < 5000; i += 2) REQUIRE(e.erase(id_of(i)));
  CHECK(e.size() == 2500);
  CHECK_FALSE(e.erase(id_of(1)));
  for (int i = 0; i < 5000; ++i) CHECK(static_cast<bool>(e.intake(id_of(i))) == (i % 2 == 0));
  // Open 5,000 more (slots are reused, the table sweeps its tombstones as it grows) and one
  // erased id again.
  for (int i = 5000; i < 10000; ++i) REQUIRE(e.open({id_of(i), received, product_email}));
  REQUIRE(e.open({id_of(1), received, product_email}));
  CHECK(e.size() == 7501);
  const auto again = e.open({id_of(4), received, product_email});
  REQUIRE_FALSE(again);
  CHECK(again.error().message == "complaint C-4 is already open");
  int found = 0;
  for (int i = 0; i < 10000; ++i) found += e.intake(id_of(i)) ? 1 : 0;
  CHECK(found == 7501);
  // Each id leads to its own complaint.
  CHECK(e.status("C-9999", received)->id == "C-9999");
  CHECK(e.status("C-1", received)->id == "C-1");
}
