// RFC 3339 timestamps: what pages report (`at`, with the page's zone) and what the host writes (UTC).
#ifndef TEMOIN_PROTOCOL_TIMESTAMP_H_
#define TEMOIN_PROTOCOL_TIMESTAMP_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "platform/clock.h"

namespace temoin::protocol {

// Parses YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM) into milliseconds since the epoch (the fraction is
// cut to milliseconds). A time without a zone is refused: it would mean a different instant on each machine.
Result<EpochMs> ParseRfc3339(std::string_view text);

// "2026-07-14T07:30:00.000Z".
std::string FormatUtc(EpochMs at);

// "2026-07-14T09:30:00+02:00": local time at a given UTC offset, as a page would show it (seconds precision).
std::string FormatWithOffset(EpochMs at, std::int64_t offset_s);

// "2026-07-14" for a day number (days since 1970-01-01).
std::string FormatDay(std::int64_t day);

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day);

}  // namespace temoin::protocol

#endif  // TEMOIN_PROTOCOL_TIMESTAMP_H_
