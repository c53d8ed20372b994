// The environment seam: environment variables and the user's home, so paths and installs can be tested in a
// temporary HOME without touching the real one.
#ifndef TEMOIN_PLATFORM_ENVIRONMENT_H_
#define TEMOIN_PLATFORM_ENVIRONMENT_H_

#include <map>
#include <optional>
#include <string>

namespace temoin {

class Environment {
 public:
  virtual ~Environment() = default;
  // The variable's value; unset and empty are the same here, as XDG says.
  virtual std::optional<std::string> Get(const std::string& name) const = 0;
};

// The process's real environment.
class ProcessEnvironment final : public Environment {
 public:
  std::optional<std::string> Get(const std::string& name) const override;
};

// A fixed set of variables, for tests.
class FakeEnvironment final : public Environment {
 public:
  explicit FakeEnvironment(std::map<std::string, std::string> vars) : vars_(std::move(vars)) {}
  std::optional<std::string> Get(const std::string& name) const override;
  void Set(const std::string& name, const std::string& value) { vars_[name] = value; }

 private:
  std::map<std::string, std::string> vars_;
};

// Another environment with some variables replaced (the demo points TEMOIN_DATA_DIR at its own folder).
class OverlayEnvironment final : public Environment {
 public:
  OverlayEnvironment(const Environment& base, std::map<std::string, std::string> overrides)
      : base_(base), overrides_(std::move(overrides)) {}
  std::optional<std::string> Get(const std::string& name) const override {
    auto it = overrides_.find(name);
    if (it != overrides_.end()) return it->second.empty() ? std::nullopt : std::optional<std::string>(it->second);
    return base_.Get(name);
  }

 private:
  const Environment& base_;
  std::map<std::string, std::string> overrides_;
};

}  // namespace temoin

#endif  // TEMOIN_PLATFORM_ENVIRONMENT_H_
