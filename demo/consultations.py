"""Demo requests to the new-entry consultation window (新規参入相談窓口), sent as a visitor would and triaged by
the curator and the administrator. Idempotent: a request is known by its company and contact address."""

from django.contrib.auth import get_user_model

from demo import people
from needs.models import ConsultationRequest
from needs.services import consultations as services

# (company, summary, inquiry, technology, record, contact, e-mail, what triage did: "", answered: the answer, closed)
# fmt: off
CONSULTATIONS = [
    ("株式会社ホシナミ光学", "高感度の小型分光カメラを開発する2019年創業の企業です。",
     "防衛分野への参入は初めてです。どのニーズに提案できるか相談したいです。",
     "ドローンに載せられる小型分光カメラと、その画像から物質を見分ける解析ソフト。",
     "防衛関係の取引はありません。主な顧客は農業法人と食品工場です。",
     "星波 透", "contact@hoshinami.example.jp", ""),
    ("合同会社クロガネ工房", "鋳造部品の試作を短期間で行う町工場です。",
     "装備品の補用部品の製造に関わるには、どのような手続きが必要でしょうか。",
     "砂型の3Dプリントによる鋳造部品の短期試作。",
     "防衛装備品の二次下請けとして部品を納めた実績があります。",
     "黒金 剛", "contact@kurogane.example.jp",
     "防衛装備庁の「金属積層造形による補用部品の現地製造」のニーズが近い内容です。ニーズの一覧からご提案ください。"),
    ("株式会社ツバサ気象", "局地的な気象を予測するAIを提供しています。",
     "ドローンの運航判断に使える気象予測を、部隊の訓練で使っていただけるか知りたいです。",
     "ドローンの運航判断に使える局地気象予測。",
     "自治体と物流事業者に提供しています。",
     "翼 晴美", "contact@tsubasa-wx.example.jp", "closed"),
    ("株式会社ミナトマリンテック", "船舶向けの遠隔監視装置を製造しています。",
     "合同推進会に参加するにはどうすればよいですか。",
     "船舶の機関を遠隔で監視するセンサとクラウドサービス。",
     "海運会社5社に導入されています。",
     "湊 海斗", "contact@minato-marine.example.jp", ""),
]
# fmt: on


def load() -> int:
    """Send the demo consultations that are not there yet, and triage them; returns how many were sent."""
    users = get_user_model().objects
    sent = 0
    for company, summary, inquiry, technology, record, contact, email, triage in CONSULTATIONS:
        if ConsultationRequest.objects.filter(company_name=company, contact_email=email).exists():
            continue
        data = {
            "company_name": company,
            "company_summary": summary,
            "inquiry": inquiry,
            "technology": technology,
            "defense_record": record,
            "contact_name": contact,
            "contact_email": email,
        }
        consultation = services.consultation_submit(data=data, language="ja")
        if triage == "closed":
            services.consultation_close(consultation=consultation, actor=users.get(email=people.ADMIN))
        elif triage:
            services.consultation_answer(
                consultation=consultation, answer=triage, actor=users.get(email=people.CURATOR)
            )
        sent += 1
    return sent
