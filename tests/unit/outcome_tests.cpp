// outcome<T>: reading it the wrong way is a clear exception, never undefined behaviour.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "redress/engine.hpp"

using namespace redress;

TEST_CASE("outcome: the value of a failed outcome, or the error of a successful one, throws bad_outcome_access") {
  const outcome<int> failed(engine_error{engine_error::kind::unknown_complaint, "no complaint 'C-9'"});
  REQUIRE_FALSE(failed);
  CHECK(failed.error().message == "no complaint 'C-9'");
  CHECK_THROWS_WITH(failed.value(), "outcome::value() of a failed outcome: no complaint 'C-9'");
  CHECK_THROWS_AS(*failed, bad_outcome_access);

  outcome<std::vector<int>> listed(std::vector<int>{1, 2, 3});
  REQUIRE(listed);
  CHECK(listed->size() == 3);
  CHECK(listed.value().back() == 3);
  CHECK_THROWS_WITH(listed.error(), "outcome::error() of a successful outcome");

  outcome<std::string> moved(engine_error{engine_error::kind::rejected_event, "'close' refused"});
  CHECK_THROWS_WITH(std::move(moved).value(), "outcome::value() of a failed outcome: 'close' refused");
}
