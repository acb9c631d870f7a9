import CryptoKit
import Foundation
import Security

/// The vault's platform key on iOS: a random 256-bit wrapping key kept in the Keychain, this device only
/// (never in backups or iCloud Keychain). The core hands over its 32-byte data key to wrap and stores the
/// result; to unlock, it asks for it to be unwrapped. Wrapped format: version byte, then AES-GCM's
/// combined nonce + ciphertext + tag.
///
/// With `requireUserPresence`, reading the key needs Face ID / Touch ID or the passcode; a cancelled or
/// failed prompt is `Unavailable`, which the core reports as a locked vault (the screen then offers the
/// PIN). A key gone from the Keychain (app reinstalled on a restored phone) is `Lost`: the owner unlocks
/// with the PIN or the recovery key and the app sets a new provider key (`vault().setKeyProvider`).
///
/// Used as `try core.vault().init(pin: pin, provider: provider)`, `unlockWithProvider(provider:)`.
public final class KeychainKeyProvider: KeyProvider {
    private static let version: UInt8 = 1
    private let service: String
    private let account: String
    private let requireUserPresence: Bool

    public init(service: String = "cn.zhuanshu.vault", account: String = "wrapping-key", requireUserPresence: Bool = false) {
        self.service = service
        self.account = account
        self.requireUserPresence = requireUserPresence
    }

    public func wrapKey(key: Data) throws -> Data {
        let wrapping = try loadKey() ?? createKey()
        do {
            guard let combined = try AES.GCM.seal(key, using: wrapping).combined else {
                throw KeyProviderError.Failed(reason: "AES-GCM gave no combined box")
            }
            return Data([KeychainKeyProvider.version]) + combined
        } catch let error as KeyProviderError {
            throw error
        } catch {
            throw KeyProviderError.Failed(reason: "seal: \(error)")
        }
    }

    public func unwrapKey(wrapped: Data) throws -> Data {
        guard wrapped.count > 1, wrapped.first == KeychainKeyProvider.version else {
            throw KeyProviderError.Failed(reason: "not a wrapped key of this provider")
        }
        guard let wrapping = try loadKey() else {
            throw KeyProviderError.Lost(reason: "no wrapping key in the Keychain")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped.dropFirst())
            return try AES.GCM.open(box, using: wrapping)
        } catch {
            throw KeyProviderError.Failed(reason: "open: \(error)")
        }
    }

    /// Forgets the key (the owner turned the platform key off); the vault then opens with the PIN only.
    public func delete() {
        SecItemDelete(baseQuery() as CFDictionary)
    }

    private func baseQuery() -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
        ]
    }

    private func loadKey() throws -> SymmetricKey? {
        var query = baseQuery()
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        if requireUserPresence {
            query[kSecUseOperationPrompt as String] = "解锁证照夹"
        }
        var result: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &result)
        switch status {
        case errSecSuccess:
            guard var data = result as? Data, data.count == 32 else {
                throw KeyProviderError.Failed(reason: "the Keychain item is not a 256-bit key")
            }
            // Best effort (Swift's Data is a value type): the key's bytes do not outlive the SymmetricKey,
            // whose own copy CryptoKit zeroes on release.
            defer { data.resetBytes(in: 0..<data.count) }
            return SymmetricKey(data: data)
        case errSecItemNotFound:
            return nil
        case errSecInteractionNotAllowed, errSecUserCanceled, errSecAuthFailed:
            throw KeyProviderError.Unavailable(reason: "Keychain status \(status)")
        default:
            throw KeyProviderError.Failed(reason: "Keychain status \(status)")
        }
    }

    private func createKey() throws -> SymmetricKey {
        let key = SymmetricKey(size: .bits256)
        var item = baseQuery()
        item[kSecValueData as String] = key.withUnsafeBytes { Data($0) }
        if requireUserPresence {
            var error: Unmanaged<CFError>?
            guard let access = SecAccessControlCreateWithFlags(nil, kSecAttrAccessibleWhenUnlockedThisDeviceOnly, .userPresence, &error) else {
                throw KeyProviderError.Failed(reason: "access control: \(String(describing: error?.takeRetainedValue()))")
            }
            item[kSecAttrAccessControl as String] = access
        } else {
            item[kSecAttrAccessible as String] = kSecAttrAccessibleWhenUnlockedThisDeviceOnly
        }
        let status = SecItemAdd(item as CFDictionary, nil)
        guard status == errSecSuccess else {
            throw KeyProviderError.Failed(reason: "Keychain add status \(status)")
        }
        return key
    }
}
