"""Action plans and sign-offs of the example drafts (scaffolding for make_examples.py)."""
import datetime as dt

from dpia_app.core.assessment import Action, SignOff

D = dt.date


def decorate(name, assessment):
    if name.startswith("s1"):
        actions = [
            Action(id="A-1", measure="Deploy intrusion detection and prevention on the access-control management network and alert the security team.",
                   owner="IT security (Zhou Bin)", due=D(2027, 1, 15), finding_ids=["R-SECURITY-08"], risk_ids=["RISK-BREACH"], effect="lowers_likelihood"),
            Action(id="A-2", measure="Amend the maintenance contract with Huadong Access Systems: rights and duties, no sub-entrustment without consent, return or deletion at the end, audit right.",
                   owner="Legal (Wang Min)", due=D(2026, 12, 31), finding_ids=["R-VENDOR-01"], risk_ids=["RISK-SHARING"], effect="lowers_likelihood"),
            Action(id="A-3", measure="Annual on-site check of the vendor's maintenance procedures, with a written report to the DPO.",
                   owner="Facilities (Sun Hui)", due=D(2027, 3, 31), finding_ids=["R-VENDOR-05"], risk_ids=["RISK-SHARING"], effect="none"),
        ]
        signoffs = [
            SignOff(role="assessor", name="Wang Min", position="Compliance manager", signed_on=D(2026, 11, 10), decision="proceed_with_conditions",
                    opinion="The deployment is lawful as designed: real choice, separate written consent, on-device storage. Three security and vendor items need dated fixes."),
            SignOff(role="dpo", name="Chen Jing", position="Personal information protection officer", signed_on=D(2026, 11, 12), decision="proceed_with_conditions",
                    opinion="Agree with the assessment.", conditions="Go-live only after A-2 is signed; A-1 before 15 January 2027."),
            SignOff(role="approver", name="Liu Yang", position="COO", signed_on=D(2026, 11, 13), decision="proceed_with_conditions",
                    conditions="As the DPO's conditions."),
        ]
    elif name.startswith("s2"):
        actions = [
            Action(id="A-1", measure="Switch off recognition at all entrances and stop VIP alerts to stores.", owner="Mall operations director", due=D(2026, 11, 30),
                   finding_ids=["R-PLACES-01", "R-PURPOSE-01", "R-CONSENT-03"], risk_ids=["RISK-SURVEILLANCE", "RISK-FUNCTION-CREEP"], effect="lowers_likelihood"),
            Action(id="A-2", measure="Have the vendor delete the gallery, images and logs, with a deletion certificate; recall data pushed to stores.", owner="Legal", due=D(2026, 12, 15),
                   finding_ids=["R-STORAGE-01", "R-SHARE-01"], risk_ids=["RISK-BREACH", "RISK-SHARING", "RISK-RETENTION"], effect="lowers_likelihood"),
            Action(id="A-3", measure="File with the Zhejiang cyberspace office while the data still exists, or document its deletion below 100,000 people.", owner="Legal", due=D(2026, 12, 5),
                   finding_ids=["R-SCALE-01"]),
        ]
        signoffs = [
            SignOff(role="assessor", name="External counsel", position="Privacy counsel", signed_on=D(2026, 11, 12), decision="do_not_proceed",
                    opinion="Unlawful as deployed: no specific purpose or necessity, no notice, no consent, commercial recognition in a public place, uploads to the vendor's cloud. Stop and delete."),
        ]
    else:
        actions = [
            Action(id="A-1", measure="Stop enrolling under-14s; ask guardians for separate consent for children already enrolled, delete the templates of the others within 15 days.",
                   owner="Member services (Liang Yu)", due=D(2026, 12, 5), finding_ids=["R-MINORS-01"], risk_ids=["RISK-MINORS"], effect="lowers_likelihood"),
            Action(id="A-2", measure="Adopt special processing rules for children's personal information and an age check at enrolment.", owner="DPO (Huang Lei)", due=D(2026, 12, 20),
                   finding_ids=["R-MINORS-03", "R-MINORS-04"], risk_ids=["RISK-MINORS"], effect="lowers_likelihood"),
            Action(id="A-3", measure="Delete templates 30 days after membership ends, automatically and logged; purge former members now.", owner="IT (Xu Tao)", due=D(2027, 1, 31),
                   finding_ids=["R-STORAGE-05", "R-STORAGE-06"], risk_ids=["RISK-RETENTION"], effect="lowers_likelihood"),
            Action(id="A-4", measure="Obtain counsel's written view on central storage in the own data centre, or move templates to the gate devices.", owner="Legal (Lin Na)", due=D(2026, 12, 31),
                   finding_ids=["R-STORAGE-02"]),
            Action(id="A-5", measure="File with the Guangdong cyberspace office.", owner="Legal (Lin Na)", due=D(2026, 11, 23), finding_ids=["R-SCALE-01"]),
        ]
        signoffs = [
            SignOff(role="assessor", name="Lin Na", position="Legal counsel", signed_on=D(2026, 11, 14), decision="do_not_proceed",
                    opinion="Face entry for adults is lawful in design; children's enrolment without guardian consent is not. Fix A-1 and A-2 before further enrolment."),
            SignOff(role="dpo", name="Huang Lei", position="Data protection officer", signed_on=D(2026, 11, 16), decision="do_not_proceed",
                    opinion="Suspend children's face entry at once; adults may continue while A-3 to A-5 are done.",
                    conditions="Reassess after A-1 and A-2."),
        ]
    return assessment.model_copy(update={"actions": actions, "signoffs": signoffs})
