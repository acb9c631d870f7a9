import Foundation

/// A failure as the screens show it: the core's Chinese message, plus per-field messages for forms, keyed
/// by the core's issue path with any index removed (`tags[0]` -> `tags`).
public struct UiError: Equatable {
    public enum Kind: Equatable {
        case invalid, notFound, alreadyExists, noCurrentCompany, vaultLocked, other
    }

    public var message: String
    public var fields: [String: String]
    public var kind: Kind

    public init(message: String, fields: [String: String] = [:], kind: Kind = .other) {
        self.message = message
        self.fields = fields
        self.kind = kind
    }
}

/// `tags[0]` -> `tags`.
public func fieldKey(_ path: String) -> String {
    if let bracket = path.firstIndex(of: "[") {
        return String(path[..<bracket])
    }
    return path
}

extension ZhuanshuError {
    /// The Chinese message every error carries.
    public var userMessage: String {
        switch self {
        case let .Invalid(_, message, _): return message
        case let .NotFound(_, message): return message
        case let .AlreadyExists(_, message): return message
        case let .NoCurrentCompany(_, message): return message
        case let .BadFormat(_, message): return message
        case let .Storage(_, message): return message
        case let .VaultLocked(_, _, message): return message
        case let .WrongSecret(_, _, message, _): return message
        case let .Corrupt(_, message): return message
        case let .Sync(_, _, message): return message
        case let .Internal(_, message): return message
        }
    }

    public var uiError: UiError {
        switch self {
        case let .Invalid(_, message, issues):
            var fields: [String: String] = [:]
            for issue in issues where fields[fieldKey(issue.path)] == nil {
                fields[fieldKey(issue.path)] = issue.userMessage
            }
            return UiError(message: message, fields: fields, kind: .invalid)
        case .NotFound: return UiError(message: userMessage, kind: .notFound)
        case .AlreadyExists: return UiError(message: userMessage, kind: .alreadyExists)
        case .NoCurrentCompany: return UiError(message: userMessage, kind: .noCurrentCompany)
        case .VaultLocked: return UiError(message: userMessage, kind: .vaultLocked)
        default: return UiError(message: userMessage)
        }
    }
}

/// Any error from a core call as a UiError; anything else gets a generic Chinese message.
public func uiError(_ error: Error) -> UiError {
    if let core = error as? ZhuanshuError {
        return core.uiError
    }
    return UiError(message: "出现了意外错误，请稍后重试")
}
