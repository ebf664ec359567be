#pragma once

// Errors inside core are values: a Result<T> holds either a T or an Error with a
// code and a one-line message meant for the user. Exceptions from LibTorch or
// FFmpeg are caught at module boundaries and turned into these.

#include <string>
#include <utility>
#include <variant>

namespace kinora {

enum class ErrorCode {
    InvalidArgument, // bad user input: empty prompt, impossible duration, ...
    NotFound,        // a file or folder that is not there
    Io,              // reading or writing failed (permissions, full disk, ...)
    Format,          // a file that is truncated, corrupt or of a foreign kind
    Mismatch,        // a model pack whose tensors do not match its config
    Cancelled,       // the caller asked to stop
    Unsupported,     // e.g. CUDA requested where LibTorch has none
    Internal,
};

const char* errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
};

inline Error makeError(ErrorCode code, std::string message)
{
    return Error{code, std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_data); }
    const T& value() const& { return std::get<0>(m_data); }
    T&& value() && { return std::get<0>(std::move(m_data)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error& error() const { return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

inline Result<void> success() { return {}; }

} // namespace kinora
