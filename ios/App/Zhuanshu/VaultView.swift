import SwiftUI
import UniformTypeIdentifiers
import ZhuanshuKit

/// 证照夹: setup (PIN + Keychain key), unlock with the platform key or the PIN, documents, and a package
/// signed with the company's seal handed to the share sheet.
struct VaultView: View {
    @ObservedObject var vm: VaultViewModel
    let currentUscc: String?
    @State private var pin = ""
    @State private var recoveryKey = ""
    @State private var newPin = ""
    @State private var selected = Set<String>()
    @State private var importing = false

    var body: some View {
        NavigationStack {
            List {
                ErrorBanner(error: vm.state.error, dismiss: vm.clearError)
                if let status = vm.state.status {
                    if !status.setUp || vm.state.needsPin || !status.unlocked {
                        lockedSection(status)
                    } else {
                        documentsSection
                    }
                }
            }
            .navigationTitle("证照夹")
            .fileImporter(isPresented: $importing, allowedContentTypes: [.image, .pdf]) { result in
                guard case let .success(url) = result else { return }
                let scoped = url.startAccessingSecurityScopedResource()
                defer {
                    if scoped {
                        url.stopAccessingSecurityScopedResource()
                    }
                }
                if let data = try? Data(contentsOf: url) {
                    let type = UTType(filenameExtension: url.pathExtension)?.preferredMIMEType ?? "application/octet-stream"
                    vm.add(name: url.lastPathComponent, mediaType: type, bytes: data)
                }
            }
            .alert("请抄下恢复密钥", isPresented: Binding(get: { vm.state.recoveryKey != nil }, set: { if !$0 { vm.recoveryKeyNoted() } })) {
                Button("我已抄下", action: vm.recoveryKeyNoted)
            } message: {
                Text("忘记PIN码或更换手机时，只能用它恢复证照夹。它只显示这一次。\n\n\(vm.state.recoveryKey ?? "")")
            }
        }
    }

    @ViewBuilder private func lockedSection(_ status: VaultStatus) -> some View {
        Section(status.setUp ? "证照夹已锁定" : "设置证照夹") {
            if !status.setUp || vm.state.needsPin || !status.hasKeyProvider {
                SecureField("PIN码", text: $pin).keyboardType(.numberPad)
            }
            if !status.setUp {
                Button("设置") {
                    vm.setUp(pin: pin)
                    pin = ""
                }
            } else if !vm.state.needsPin && status.hasKeyProvider {
                Button("解锁", action: vm.unlock)
            } else {
                Button("用PIN码解锁") {
                    vm.unlock(pin: pin)
                    pin = ""
                }
            }
        }
        if status.setUp && (vm.state.needsPin || !status.hasKeyProvider) {
            // Forgotten PIN, or a PIN bound to another phone (the core's message says so).
            Section("忘记PIN码或换了手机") {
                TextField("恢复密钥", text: $recoveryKey)
                    .textInputAutocapitalization(.characters)
                    .autocorrectionDisabled()
                SecureField("新PIN码", text: $newPin).keyboardType(.numberPad)
                Button("用恢复密钥解锁") {
                    vm.recover(recoveryKey: recoveryKey, newPin: newPin)
                    recoveryKey = ""
                    newPin = ""
                }
            }
        }
    }

    @ViewBuilder private var documentsSection: some View {
        Section {
            Button("添加证照") { importing = true }
            Button("锁定", action: vm.lock)
        }
        Section("证照") {
            ForEach(vm.state.documents, id: \.id) { d in
                Button {
                    if selected.contains(d.id) {
                        selected.remove(d.id)
                    } else {
                        selected.insert(d.id)
                    }
                } label: {
                    HStack {
                        Image(systemName: selected.contains(d.id) ? "checkmark.circle.fill" : "circle")
                        VStack(alignment: .leading) {
                            Text(d.name)
                            Text("\(d.size / 1024) KB · \(d.createdAt)").font(.caption).foregroundColor(.secondary)
                        }
                    }
                }
                .swipeActions {
                    Button("删除", role: .destructive) { vm.remove(d.id) }
                }
            }
        }
        if let uscc = currentUscc, !selected.isEmpty {
            Section {
                Button("加盖企业电子印章") {
                    let out = FileManager.default.temporaryDirectory
                        .appendingPathComponent("packages", isDirectory: true)
                        .appendingPathComponent("材料包-\(Int(Date().timeIntervalSince1970)).zip")
                    try? FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
                    vm.signPackage(uscc: uscc, documentIds: Array(selected), outFile: out.path)
                }
                if let shared = vm.state.shared, let path = shared.path {
                    ShareLink(item: URL(fileURLWithPath: path)) {
                        Label("分享 \(shared.signer.name) 的材料包", systemImage: "square.and.arrow.up")
                    }
                }
            }
        }
    }
}
