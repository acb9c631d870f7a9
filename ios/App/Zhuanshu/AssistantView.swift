import SwiftUI
import ZhuanshuKit

/// 客服: search as you type with the core's suggestions and highlights; answers with related questions.
struct AssistantView: View {
    @ObservedObject var vm: AssistantViewModel

    var body: some View {
        NavigationStack {
            List {
                ErrorBanner(error: vm.state.error, dismiss: vm.clearError)
                if vm.state.query.isEmpty {
                    if !vm.state.predicted.isEmpty {
                        Section("您可能想问") {
                            ForEach(vm.state.predicted, id: \.id) { p in
                                Button {
                                    vm.open(p.id)
                                } label: {
                                    VStack(alignment: .leading) {
                                        Text(p.question)
                                        Text(p.reason).font(.caption).foregroundColor(.secondary)
                                    }
                                }
                            }
                        }
                    }
                } else {
                    ForEach(vm.state.suggestions.filter { s in !vm.state.hits.contains { $0.id == s.id } }, id: \.id) { s in
                        Button(s.question) { vm.open(s.id) }
                    }
                    ForEach(vm.state.hits) { hit in
                        Button {
                            vm.open(hit.id)
                        } label: {
                            VStack(alignment: .leading, spacing: 4) {
                                highlighted(hit.question).font(.headline)
                                highlighted(hit.answer).font(.caption).lineLimit(3)
                                Text(hit.hit.theme).font(.caption2).foregroundColor(.secondary)
                            }
                        }
                    }
                    if !vm.state.searching && vm.state.hits.isEmpty {
                        Text("没有找到相关问题，换个说法试试")
                    }
                }
            }
            .navigationTitle("客服")
            .searchable(text: Binding(get: { vm.state.query }, set: vm.queryChanged), prompt: "如“营业执照丢了怎么办”")
            .onSubmit(of: .search) { vm.submit() }
            .sheet(isPresented: Binding(get: { vm.state.open != nil }, set: { if !$0 { vm.close() } })) {
                if let answer = vm.state.open {
                    AnswerSheet(answer: answer, open: vm.open)
                }
            }
        }
    }
}

private struct AnswerSheet: View {
    let answer: AnswerView
    let open: (String) -> Void

    var body: some View {
        NavigationStack {
            ScrollView {
                VStack(alignment: .leading, spacing: 12) {
                    Text(answer.entry.question).font(.title3.bold())
                    Text(answer.entry.answer.replacingOccurrences(of: "**", with: ""))
                    Text("更新于 \(answer.entry.updated)").font(.caption).foregroundColor(.secondary)
                    if !answer.related.isEmpty {
                        Text("相关问题").font(.headline)
                        ForEach(answer.related, id: \.id) { r in
                            Button(r.question) { open(r.id) }
                        }
                    }
                }
                .padding()
            }
        }
    }
}
