// The whole public interface of redress. Includes only the standard library.
#ifndef REDRESS_REDRESS_HPP
#define REDRESS_REDRESS_HPP

#include "redress/error.hpp"
#include "redress/time.hpp"
#include "redress/calendar.hpp"
#include "redress/lifecycle.hpp"
#include "redress/policy.hpp"
#include "redress/engine.hpp"
#include "redress/wire.hpp"

#endif
