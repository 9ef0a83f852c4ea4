"""What each unit type is about: domain words, written from how regencies divide their work.

The classifier gets one extra feature per unit type, "the text uses words of this type",
so a complaint that uses a word no training example had ("makadam", "IKD", "AK1") still
lands near the right unit. Terms are in normalised spelling (`wadul.routing.normalise`).
Terms of 5+ letters match inside words ("aspal" in "diaspal"); shorter ones match whole
words only. This is soft evidence for the model; operators' hard rules live in `RoutingRule`.
"""

from __future__ import annotations

import re
from functools import cached_property

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

LEXICON: dict[str, tuple[str, ...]] = {
    "roads": (
        "jalan rusak", "berlubang", "lubang", "aspal", "makadam", "paving", "rabat", "jembatan",
        "ambles", "amblas", "tambal", "bergelombang", "pengerasan", "jalan kabupaten", "jalan desa",
        "jalan poros", "jalan lingkungan", "bina marga", "tanjakan", "bahu jalan", "badan jalan",
    ),
    "street_lighting_drainage": (
        "pju", "penerangan jalan", "lampu jalan", "lampu penerangan", "tiang lampu", "selokan",
        "drainase", "gorong", "saluran air hujan", "got", "mampet", "tersumbat", "genangan",
        "cipta karya", "lampu taman",
    ),
    "water_irrigation": (
        "irigasi", "sawah", "bendung", "dam", "pintu air", "tanggul", "sungai", "kali", "embung",
        "talud", "plengsengan", "pengairan", "saluran primer", "saluran sekunder", "ulu ulu",
        "normalisasi sungai", "debit air", "hippa", "p3a",
    ),
    "health": (
        "puskesmas", "posyandu", "polindes", "pustu", "bidan", "imunisasi", "vaksin", "demam berdarah",
        "dbd", "fogging", "jentik", "nyamuk", "stunting", "gizi", "balita", "tbc", "diare",
        "keracunan", "obat", "apotek", "klinik", "kader", "kesehatan", "rabies", "campak",
    ),
    "hospital": (
        "rumah sakit", "rsud", "igd", "rawat inap", "bangsal", "poli", "dokter spesialis",
        "perawat", "icu", "farmasi", "kamar mayat", "rekam medis", "cuci darah", "operasi",
        "blambangan", "rontgen", "pasien",
    ),
    "population_registry": (
        "ktp", "e ktp", "kartu keluarga", "kk", "akta", "akte", "kia", "nik", "dukcapil",
        "kependudukan", "adminduk", "ikd", "domisili", "pindah datang", "surat pindah", "rekam",
        "blangko", "pencatatan sipil", "kematian", "kelahiran",
    ),
    "education": (
        "sekolah", "sd", "smp", "sdn", "smpn", "tk", "paud", "guru", "murid", "siswa", "ppdb",
        "zonasi", "ijazah", "bos", "pip", "komite", "seragam", "kelas", "beasiswa", "lks",
        "kepala sekolah", "pendidikan", "wali kelas", "study tour", "tpq",
    ),
    "social_welfare": (
        "pkh", "bpnt", "bansos", "bantuan sosial", "dtks", "kks", "blt", "lansia", "jompo",
        "disabilitas", "difabel", "odgj", "pasung", "terlantar", "pengemis", "anak jalanan",
        "rtlh", "tidak layak huni", "bedah rumah", "miskin", "yatim", "kdrt", "kekerasan",
        "perempuan", "panti", "sembako", "dinsos",
    ),
    "transport": (
        "lalu lintas", "traffic light", "lampu merah", "apill", "rambu", "parkir", "jukir",
        "angkot", "angkutan", "terminal", "uji kir", "kir", "zebra cross", "penyeberangan",
        "polisi tidur", "speed bump", "marka", "halte", "bus", "trayek", "dishub", "ngetem",
        "tonase", "perhubungan",
    ),
    "environment_waste": (
        "sampah", "tps", "tpa", "limbah", "pencemaran", "tercemar", "bau busuk", "asap", "bakar",
        "bising", "kebisingan", "penebangan", "pohon", "mangrove", "ukl upl", "amdal",
        "lingkungan hidup", "bank sampah", "tps3r", "retribusi sampah", "truk sampah",
    ),
    "public_order": (
        "pkl", "pedagang kaki lima", "satpol", "karaoke", "hiburan malam", "miras", "minuman keras",
        "reklame liar", "baliho", "spanduk", "bangunan liar", "pengamen", "anak punk", "gelandangan",
        "manusia silver", "sound horeg", "mesum", "kos", "trotoar", "perda", "penertiban",
        "warung remang", "orgen", "prostitusi", "petasan",
    ),
    "fire_rescue": (
        "damkar", "pemadam", "hidran", "apar", "sarang tawon", "tawon", "lebah", "ular", "kobra",
        "sanca", "piton", "biawak", "evakuasi hewan", "terjebak", "rescue", "cincin", "sumur",
        "kebakaran",
    ),
    "disaster": (
        "bencana", "longsor", "banjir", "puting beliung", "angin kencang", "angin ribut",
        "pohon tumbang", "gempa", "lindu", "tsunami", "rob", "kekeringan", "kemarau",
        "dropping air", "pengungsi", "pengungsian", "posko", "bpbd", "erupsi", "abu vulkanik",
        "evakuasi", "terisolasi", "tangguh bencana",
    ),
    "emergency": (
        "darurat", "tolong", "cepat", "segera", "sekarang", "korban", "tidak sadar", "pingsan",
        "berdarah", "tenggelam", "terbakar", "kebakaran", "ambulans", "kritis", "sesak",
        "tidak bernafas", "kejang", "terjepit", "terseret", "meledak", "bunuh diri", "barusan",
        "112",
    ),
    "agriculture": (
        "pupuk", "urea", "kartu tani", "rdkk", "petani", "kelompok tani", "poktan", "penyuluh",
        "hama", "wereng", "tikus", "panen", "gabah", "padi", "jagung", "cabai", "benih", "bibit",
        "alsintan", "traktor", "ternak", "sapi", "kambing", "pmk", "lsd", "mantri hewan",
        "inseminasi", "pestisida", "pertanian",
    ),
    "fisheries": (
        "nelayan", "ikan", "tpi", "kusuka", "kapal", "perahu", "melaut", "jaring", "rumpon",
        "tambak", "udang", "benur", "budidaya", "keramba", "rumput laut", "solar nelayan", "spbn",
        "lemuru", "cold storage", "perikanan", "pukat",
    ),
    "trade_cooperatives": (
        "pasar", "pedagang", "los", "kios", "harga", "minyak goreng", "sembako", "beras", "gula",
        "elpiji", "timbangan", "tera", "koperasi", "umkm", "usaha mikro", "operasi pasar",
        "retribusi pasar", "toko", "minimarket", "distributor", "halal", "pirt",
    ),
    "manpower": (
        "phk", "pesangon", "upah", "umk", "gaji", "thr", "lembur", "buruh", "karyawan",
        "pekerja", "perusahaan", "kartu kuning", "ak1", "blk", "pelatihan kerja", "lowongan",
        "pekerja migran", "pmi", "tki", "tppo", "outsourcing", "kontrak kerja", "disnaker",
        "magang", "transmigrasi", "job fair", "serikat pekerja",
    ),
    "licensing": (
        "izin", "ijin", "perizinan", "nib", "oss", "pbg", "imb", "slf", "kkpr", "siup",
        "mpp", "mal pelayanan publik", "dpmptsp", "investor", "izin usaha", "izin lingkungan",
        "izin operasional", "tower", "menara", "galian c",
    ),
    "tax_revenue": (
        "pbb", "pajak bumi", "sppt", "njop", "bphtb", "pajak restoran", "pajak hotel",
        "pajak reklame", "pajak daerah", "bapenda", "objek pajak", "npwpd", "pajak air tanah",
        "walet", "pajak hiburan", "pajak parkir", "lunas pbb",
    ),
    "tourism_culture": (
        "wisata", "wisatawan", "pantai", "ijen", "pulau merah", "festival", "b fest", "gandrung",
        "osing", "kebo keboan", "tiket masuk", "homestay", "pemandu", "guide", "cagar budaya",
        "museum", "kesenian", "sanggar", "budaya", "adat", "batik", "seni", "djawatan",
    ),
    "youth_sports": (
        "lapangan", "gor", "stadion", "olahraga", "atlet", "turnamen", "sepak bola", "bola",
        "voli", "futsal", "basket", "bulu tangkis", "badminton", "karang taruna", "pemuda",
        "koni", "cabor", "pramuka", "maraton", "jogging", "tour de ijen", "dispora", "renang",
    ),
    "village_affairs": (
        "kepala desa", "kades", "perangkat desa", "dana desa", "add", "apbdes", "bumdes",
        "musdes", "musyawarah desa", "balai desa", "blt dd", "bpd", "kasun", "kepala dusun",
        "pilkades", "tanah kas desa", "bengkok", "sekdes", "padat karya", "rt", "rw",
    ),
    "kecamatan_service": (
        "kecamatan", "camat", "kantor kecamatan", "paten", "legalisir", "legalisasi",
        "ahli waris", "surat waris", "ppat sementara", "musrenbang kecamatan", "rekomendasi camat",
        "tanda tangan camat", "surat keterangan",
    ),
    "communication_info": (
        "website", "situs", "aplikasi", "wifi", "hotspot", "internet", "sinyal", "bts", "ppid",
        "informasi publik", "hoaks", "hoax", "klarifikasi", "smart kampung", "kominfo",
        "media sosial", "cctv", "open data", "lpse", "call center", "diretas", "email",
        "videotron", "radio",
    ),
    "civil_service": (
        "asn", "pns", "pppk", "cpns", "honorer", "kenaikan pangkat", "golongan", "pensiun",
        "taspen", "siasn", "bkpp", "bkd", "mutasi", "sk", "tunjangan", "tpp", "karpeg", "karis",
        "karsu", "gaji berkala", "diklat", "formasi", "e kinerja", "tugas belajar", "jabatan",
    ),
    "integrity": (
        "pungli", "pungutan liar", "korupsi", "suap", "gratifikasi", "uang pelicin", "fee",
        "mark up", "fiktif", "calo", "oknum", "uang rokok", "setoran", "jatah",
        "penyalahgunaan", "inspektorat", "bolos", "jam kerja", "plat merah", "mobil dinas",
        "uang damai", "whistleblowing", "disiplin",
    ),
    "ext_electricity": (
        "listrik", "pln", "token", "kwh", "meteran listrik", "padam", "pemadaman", "byar pet",
        "tiang listrik", "kabel listrik", "trafo", "gardu", "tegangan", "daya", "va",
        "sambungan listrik", "p2tl",
    ),
    "ext_land": (
        "sertifikat tanah", "sertifikat", "tanah", "lahan", "bpn", "pertanahan", "ptsl",
        "sengketa tanah", "batas tanah", "patok", "diserobot", "serobot", "girik", "letter c",
        "shm", "hgb", "hgu", "balik nama sertifikat", "ukur ulang", "mafia tanah", "agraria",
        "roya",
    ),
    "ext_police": (
        "polisi", "polsek", "polres", "polresta", "curi", "pencurian", "maling", "dicuri",
        "hilang dicuri", "penipuan", "ditipu", "narkoba", "judi", "begal", "jambret",
        "penganiayaan", "pencabulan", "ancam", "diancam", "pengancaman", "balap liar", "skck",
        "sim", "tilang", "knalpot", "pinjol ilegal", "pemerasan", "pengeroyokan", "penggelapan",
    ),
    "ext_national_road": (
        "jalan nasional", "jalur nasional", "jalan negara", "pantura", "gumitir", "bbpjn",
        "balai jalan", "situbondo", "jember", "ketapang", "watudodol", "bajulmati",
        "lintas provinsi", "bangsring",
    ),
    "ext_provincial_road": (
        "jalan provinsi", "ruas provinsi", "jalan prov", "provinsi", "pemprov", "upt pjj",
        "bina marga jatim", "gubernur", "jawa timur",
    ),
    "ext_health_insurance": (
        "bpjs", "jkn", "kis", "kartu indonesia sehat", "iuran", "faskes", "pbi", "mobile jkn",
        "kepesertaan", "peserta bpjs", "rujukan", "klaim", "nonaktif", "165",
    ),
    "ext_water_utility": (
        "pdam", "air pdam", "ledeng", "kran", "keran", "meteran air", "tagihan air",
        "sambungan air", "pipa", "air keruh", "perumda air", "pelanggan",
    ),
    "ext_vehicle_tax": (
        "pajak motor", "pajak kendaraan", "pajak mobil", "stnk", "bpkb", "samsat", "plat nomor",
        "nopol", "tnkb", "balik nama", "bbnkb", "pkb", "e samsat", "pajak progresif",
        "kendaraan bermotor",
    ),
    "spam": (
        "slot", "gacor", "maxwin", "togel", "judi online", "deposit", "bonus", "promo", "diskon",
        "jual", "pinjaman", "cair", "investasi", "hadiah", "undian", "klik link", "followers",
        "joki", "wkwk", "kenalan", "endorse", "mlm", "bitcoin", "tes", "test",
    ),
}


class LexiconFeatures(TransformerMixin, BaseEstimator):
    """One column per unit type: how many of its words the text uses (log-scaled)."""

    def __init__(self, lexicon: dict[str, tuple[str, ...]] | None = None):
        self.lexicon = lexicon

    def fit(self, texts, labels=None):
        self.labels_ = sorted((self.lexicon or LEXICON).keys())
        return self

    @cached_property
    def _patterns(self) -> list[re.Pattern[str]]:
        lexicon = self.lexicon or LEXICON
        patterns = []
        for label in self.labels_:
            parts = []
            for term in lexicon[label]:
                escaped = re.escape(term)
                parts.append(escaped if len(term) >= 5 else rf"\b{escaped}\b")
            patterns.append(re.compile("|".join(parts)))
        return patterns

    def transform(self, texts):
        rows, cols, values = [], [], []
        for i, text in enumerate(texts):
            for j, pattern in enumerate(self._patterns):
                hits = len(pattern.findall(text))
                if hits:
                    rows.append(i)
                    cols.append(j)
                    values.append(np.log1p(hits))
        return sparse.csr_matrix(
            (values, (rows, cols)), shape=(len(texts), len(self.labels_)), dtype=np.float32
        )

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"lexicon:{label}" for label in self.labels_], dtype=object)

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_patterns", None)  # compiled lazily again after unpickling
        return state
