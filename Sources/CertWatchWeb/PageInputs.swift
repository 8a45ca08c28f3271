import CertWatchAccounts
import CertWatchCore
import CertWatchStore
import CertWatchServer
import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// The page's readers of outside input as functions of bytes, read as the pages read them, for
/// the fuzzer (`certwatch-fuzz page-form`, `page-upload`).
public enum PageInputs {
    /// A URL-encoded form body, as every page that takes one decodes it; the supplier and import
    /// certificate forms are validated too, and a sign-in's `next` cleaned.
    public static func readForm(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let decoder = URLEncodedFormDecoder()
        _ = try? decoder.decode(CheckPages.CheckForm.self, from: text)
        _ = try? decoder.decode(KeyPages.CreateForm.self, from: text)
        _ = try? decoder.decode(WebhookPages.CreateForm.self, from: text)
        _ = try? decoder.decode(TokenOnlyForm.self, from: text)
        if let signIn = try? decoder.decode(SignInPages.SignInForm.self, from: text) {
            _ = SignInPages.localPath(signIn.next)
            // What sign-in does with the address and code before the database.
            _ = Account.normalized(email: signIn.email ?? "")
        }
        if let code = try? decoder.decode(SignInPages.CodeForm.self, from: text) {
            _ = RecoveryCodes.looksLikeOne(code.code ?? "")
            _ = TwoStepCodes.matchingStep(code.code ?? "", secret: "12345678901234567890", at: Date(timeIntervalSince1970: 59))
        }
        if let password = try? decoder.decode(PasswordPages.SetForm.self, from: text) {
            _ = PasswordRules(minLength: 10).problem(with: password.password ?? "", email: "fuzz@example.com")
        }
        _ = try? decoder.decode(PeoplePages.InviteForm.self, from: text)
        _ = try? decoder.decode(AccountPages.TwoStepForm.self, from: text)
        if let request = try? decoder.decode(SupplierPages.RequestForm.self, from: text) {
            _ = (request.kinds, request.recipientList)
        }
        if let posted = try? decoder.decode(SupplierFormPages.Posted.self, from: text) {
            _ = try? SupplierFormPages.validated(posted.values, id: "fuzz")
        }
        if let posted = try? decoder.decode(ImportCertificateForm.self, from: text) {
            _ = try? posted.validated(id: "fuzz", exporterId: "fuzz", also: [])
        }
    }

    /// A `multipart/form-data` body with the boundary `fuzz`, as the upload and import pages and
    /// a supplier's upload link decode it.
    public static func readUpload(_ bytes: [UInt8]) {
        let body = ByteBuffer(bytes: bytes)
        guard MultipartBoundary.headerNamesAreASCII(body, boundary: "fuzz") else { return }
        _ = try? FormDataDecoder().decode(DocumentPages.Upload.self, from: body, boundary: "fuzz")
        _ = try? FormDataDecoder().decode(ImportPage.Upload.self, from: body, boundary: "fuzz")
        _ = try? FormDataDecoder().decode(FraudNoticePages.Upload.self, from: body, boundary: "fuzz")
        if let upload = try? FormDataDecoder().decode(SupplierUploadPages.Upload.self, from: body, boundary: "fuzz") {
            _ = upload.files.map { DocumentType(sniffing: $0.bytes) }
        }
    }
}
