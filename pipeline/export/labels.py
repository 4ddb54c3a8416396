"""Words of the exports in Bahasa Indonesia (`id`, the default) and English (`en`)."""

from __future__ import annotations

from pipeline.errors import ExportError

LANGS = ("id", "en")

_WORDS: dict[str, dict[str, str]] = {
    "id": {
        "verified": "terverifikasi", "suggested": "saran", "verified_keys": "kutipan terverifikasi",
        "suggested_keys": "kutipan saran", "__total__": "jumlah",
        "code": "kode", "name": "nama kode", "theme": "tema", "case": "kasus", "informant": "informan",
        "role": "peran", "site": "situs", "method": "metode", "key": "kunci kutipan", "source": "sumber",
        "status": "status", "probability": "skor saran", "text": "teks", "n_words": "jumlah kata",
        "verified_excerpts": "kutipan terverifikasi", "suggested_excerpts": "kutipan saran",
        "verified_cases": "kasus (terverifikasi)", "suggested_cases": "kasus (saran)",
        "verified_informants": "informan (terverifikasi)", "suggested_informants": "informan (saran)",
        "verified_roles": "peran (terverifikasi)", "suggested_roles": "peran (saran)",
        "verified_methods": "metode (terverifikasi)", "suggested_methods": "metode (saran)",
        "single_source": "satu sumber", "single_method": "satu metode", "suggestions_only": "hanya saran",
        "verified_informant_ids": "informan pendukung", "verified_by_role": "bukti terverifikasi per peran",
        "suggested_by_role": "saran per peran", "verified_by_method": "bukti terverifikasi per metode",
        "suggested_by_method": "saran per metode", "note": "catatan peneliti", "status_by": "diperiksa oleh",
        "status_at": "waktu pemeriksaan", "yes": "ya", "no": "tidak",
        "belum_diperiksa": "belum diperiksa", "terkonfirmasi": "terkonfirmasi",
        "perlu_data_tambahan": "perlu data tambahan", "ditolak": "ditolak",
        "code_by_informant": "Kode × informan", "code_by_role": "Kode × peran", "code_by_method": "Kode × metode",
        "code_by_site": "Kode × situs", "code_cooccurrence": "Ko-okurensi kode",
        "framework_matrix": "Matriks kerangka", "triangulation": "Triangulasi", "evidence": "Bukti per kutipan",
        "report_title": "Penyajian data dan triangulasi", "generated": "Dibuat",
        "project": "Proyek", "codebook": "Buku kode", "excerpts": "kutipan", "sources": "sumber",
        "pseudonymised": "Nama asli informan diganti kode samaran (mis. [G01]).",
        "real_names": "PERHATIAN: ekspor ini memuat nama asli informan.",
        "legend_counts": "Angka: kutipan terverifikasi; +n: saran mesin yang belum diperiksa.",
        "legend_framework": "Tiap sel: kutipan terkuat; tanda ? = saran mesin, belum diverifikasi.",
        "legend_flags": "Penanda dihitung dari bukti terverifikasi saja.",
        "heatmap": "Peta panas kode × informan (kutipan terverifikasi)",
        "cluster_map": "Peta klaster kutipan", "cluster": "klaster", "cluster_terms": "kata label",
        "contents": "Isi", "no_cluster": "Belum ada hasil klaster (jalankan `reduksi cluster`).",
        "triangulation_status": "Status triangulasi",
    },
    "en": {
        "verified": "verified", "suggested": "suggested", "verified_keys": "verified excerpts",
        "suggested_keys": "suggested excerpts", "__total__": "total",
        "code": "code", "name": "code name", "theme": "theme", "case": "case", "informant": "informant",
        "role": "role", "site": "site", "method": "method", "key": "excerpt key", "source": "source",
        "status": "status", "probability": "suggestion score", "text": "text", "n_words": "words",
        "verified_excerpts": "verified excerpts", "suggested_excerpts": "suggested excerpts",
        "verified_cases": "cases (verified)", "suggested_cases": "cases (suggested)",
        "verified_informants": "informants (verified)", "suggested_informants": "informants (suggested)",
        "verified_roles": "roles (verified)", "suggested_roles": "roles (suggested)",
        "verified_methods": "methods (verified)", "suggested_methods": "methods (suggested)",
        "single_source": "single source", "single_method": "single method", "suggestions_only": "suggestions only",
        "verified_informant_ids": "supporting informants", "verified_by_role": "verified evidence by role",
        "suggested_by_role": "suggestions by role", "verified_by_method": "verified evidence by method",
        "suggested_by_method": "suggestions by method", "note": "researcher's note", "status_by": "checked by",
        "status_at": "checked at", "yes": "yes", "no": "no",
        "belum_diperiksa": "not yet checked", "terkonfirmasi": "confirmed",
        "perlu_data_tambahan": "needs more data", "ditolak": "rejected",
        "code_by_informant": "Code × informant", "code_by_role": "Code × role", "code_by_method": "Code × method",
        "code_by_site": "Code × site", "code_cooccurrence": "Code co-occurrence",
        "framework_matrix": "Framework matrix", "triangulation": "Triangulation", "evidence": "Evidence by excerpt",
        "report_title": "Data display and triangulation", "generated": "Generated",
        "project": "Project", "codebook": "Codebook", "excerpts": "excerpts", "sources": "sources",
        "pseudonymised": "Informants' real names are replaced by pseudonyms (e.g. [G01]).",
        "real_names": "WARNING: this export contains informants' real names.",
        "legend_counts": "Number: verified excerpts; +n: machine suggestions not yet checked.",
        "legend_framework": "Each cell: the strongest excerpts; ? = machine suggestion, not verified.",
        "legend_flags": "Flags count verified evidence only.",
        "heatmap": "Heatmap code × informant (verified excerpts)",
        "cluster_map": "Excerpt cluster map", "cluster": "cluster", "cluster_terms": "label terms",
        "contents": "Contents", "no_cluster": "No clustering yet (run `reduksi cluster`).",
        "triangulation_status": "Triangulation status",
    },
}


def words(lang: str) -> dict[str, str]:
    """The label table of a language; an unknown language is an error naming the known ones."""
    if lang not in _WORDS:
        raise ExportError(f"unknown language '{lang}'", key="lang", hint=f"use one of: {', '.join(LANGS)}")
    return _WORDS[lang]
