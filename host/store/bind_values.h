// Binding a statement's parameters in one call: BindValues(q, a, b, c) binds ?1 = a, ?2 = b, ?3 = c. An empty
// std::optional, or std::nullopt, binds NULL. Written for the derived tables' statements, which bind five to
// twelve values each and would otherwise spend a line per value.
#ifndef TEMOIN_STORE_BIND_VALUES_H_
#define TEMOIN_STORE_BIND_VALUES_H_

#include <optional>

namespace temoin::store {

namespace bind_values_detail {

template <typename Statement, typename T>
void BindOne(Statement& q, int index, const T& value) {
  q.bind(index, value);
}

template <typename Statement, typename T>
void BindOne(Statement& q, int index, const std::optional<T>& value) {
  if (value) {
    q.bind(index, *value);
  } else {
    q.bind(index);  // NULL
  }
}

template <typename Statement>
void BindOne(Statement& q, int index, std::nullopt_t) {
  q.bind(index);  // NULL
}

}  // namespace bind_values_detail

// Binds ?first, ?first+1, … in order (the rest of a statement whose first values BindValues bound).
template <typename Statement, typename... Values>
void BindValuesFrom(Statement& q, int first, const Values&... values) {
  int index = first;
  (bind_values_detail::BindOne(q, index++, values), ...);
}

// `Statement` is anything with SQLite::Statement's bind(index, value) and bind(index) (a CachedStatement lease).
template <typename Statement, typename... Values>
void BindValues(Statement& q, const Values&... values) {
  BindValuesFrom(q, 1, values...);
}

}  // namespace temoin::store

#endif  // TEMOIN_STORE_BIND_VALUES_H_
