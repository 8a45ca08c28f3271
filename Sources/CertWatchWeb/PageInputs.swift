import CertWatchCore
import CertWatchServer
import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// The page's readers of outside input as functions of bytes, read as the pages read them, for
/// the fuzzer (`certwatch-fuzz page-form`, `page-upload`).
public enum PageInputs {
    /// A URL-encoded form body, as every page that takes one decodes it; the supplier form is
    /// validated too, and a sign-in's `next` cleaned.
    public static func readForm(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let decoder = URLEncodedFormDecoder()
        _ = try? decoder.decode(CheckPages.CheckForm.self, from: text)
        _ = try? decoder.decode(KeyPages.CreateForm.self, from: text)
        _ = try? decoder.decode(WebhookPages.CreateForm.self, from: text)
        _ = try? decoder.decode(TokenOnlyForm.self, from: text)
        if let signIn = try? decoder.decode(SignInPages.SignInForm.self, from: text) { _ = SignInPages.localPath(signIn.next) }
        if let posted = try? decoder.decode(SupplierFormPages.Posted.self, from: text) {
            _ = try? SupplierFormPages.validated(posted.values, id: "fuzz")
        }
    }

    /// A `multipart/form-data` body with the boundary `fuzz`, as the upload and import pages decode it.
    public static func readUpload(_ bytes: [UInt8]) {
        let body = ByteBuffer(bytes: bytes)
        guard MultipartBoundary.headerNamesAreASCII(body, boundary: "fuzz") else { return }
        _ = try? FormDataDecoder().decode(DocumentPages.Upload.self, from: body, boundary: "fuzz")
        _ = try? FormDataDecoder().decode(ImportPage.Upload.self, from: body, boundary: "fuzz")
    }
}
