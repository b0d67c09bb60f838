"""Every message a customer can read, in one place (French), so that a language is one table.

Screens and e-mails look texts up with :func:`text`; the keys are stable, the values are the
verbatim French of the customer guide where it has one. One literal, grouped by the screen
that shows the text (texts that several screens show come first).

French is the source of the gettext catalogue (:mod:`kiosk.translations`): a new entry here
is extracted by ``make i18n-extract``, and its English written in
``kiosk/locale/en/LC_MESSAGES/messages.po`` (a test fails until it is).
"""

from __future__ import annotations

from kiosk.translations import SOURCE_LANGUAGE, translations

FRENCH: dict[str, str] = {
    # -- The whole kiosk: banner, steps, keys and buttons every screen may show
    "app_title": "Espace Client · Agence en Ligne",
    "step": "Étape {number} sur 4",
    "required_hint": "Les champs marqués * sont obligatoires.",
    "busy": "Veuillez patienter…",
    "key_back": "Retour",
    "key_escape": "Échap",
    "key_reveal": "Afficher",
    "button_validate": "Valider",
    "button_close": "Fermer",
    "button_cancel": "Annuler",
    "button_home": "Retour à l'accueil",
    "button_restart": "Retour à l'accueil",
    # -- Input rules (SPEC §3), under any field
    "required": "Champ obligatoire",
    "forbidden_characters": (
        "Ce champ contient des caractères non autorisés (caractères de contrôle, "
        "invisibles ou retours à la ligne)."
    ),
    "contract_format": "Le numéro de contrat comporte 7 chiffres sans la lettre.",
    "meter_format": (
        "Le numéro de compteur comporte de 5 à 20 lettres ou chiffres, tel qu'il est "
        "imprimé sur la facture."
    ),
    "email_format": "Veuillez saisir une adresse e-mail valide (254 caractères au plus).",
    "name_format": "De 1 à 60 caractères : lettres, espaces, traits d'union et apostrophes.",
    "paste_too_long": (
        "Texte collé trop long : ce champ accepte au plus {maximum} caractères. Rien n'a été collé."
    ),
    # -- Throttles (SPEC §5), on any screen
    "too_many_attempts": "Trop de tentatives. Veuillez réessayer dans {minutes} minutes.",
    "too_many_attempts_one": "Trop de tentatives. Veuillez réessayer dans 1 minute.",
    # -- A code's account (Reset screen, the web's activation and reset pages)
    "code_account": "Compte concerné : {email}",
    "signin_locked_way_out": (
        "Pour ne pas attendre, choisissez un nouveau mot de passe avec « Mot de passe oublié ? »."
    ),
    # -- The new password block (Identity, Reset, Change password): checklist and refusals
    "label_password_confirm": "Confirmation *",
    "label_new_password": "Nouveau mot de passe *",
    "rule_intro": "Pour des raisons de sécurité, votre mot de passe doit contenir :",
    "rule_digit": "Un nombre",
    "rule_length": "8 caractères",
    "rule_special": "Un caractère spécial",
    "rule_confirmation": "Confirmation identique",
    "password_checklist": "Le mot de passe ne respecte pas encore toutes les règles.",
    "password_too_long": "Le mot de passe ne doit pas dépasser 128 caractères.",
    "password_common": "Ce mot de passe est trop courant. Veuillez en choisir un autre.",
    "password_contains_contract": "Le mot de passe ne doit pas contenir le numéro de contrat.",
    "password_contains_meter": "Le mot de passe ne doit pas contenir le numéro de compteur.",
    "password_contains_email": "Le mot de passe ne doit pas contenir votre adresse e-mail.",
    "password_forbidden_characters": "Le mot de passe contient des caractères non autorisés.",
    # -- Welcome (step 1)
    "welcome_heading": "Bienvenue sur votre Espace Client",
    "welcome_intro": "Que souhaitez-vous faire ? Utilisez les flèches, Tab ou les touches F.",
    "button_create": "Créer mon espace client",
    "button_login": "Se connecter",
    "button_forgot": "Mot de passe oublié ?",
    "button_enter_code": "Saisir un code reçu par e-mail",
    "key_create": "Créer",
    "key_login": "Se connecter",
    "key_forgot": "Mot de passe oublié",
    "key_code": "Saisir un code",
    # The language switch names the other language in that language (SPEC §11): French screens
    # offer "English", English ones "Français".
    "button_language": "English",
    "key_language": "English",
    # -- Commune (step 2)
    "commune_title": "Choisissez votre commune",
    "commune_label": "Commune *",
    "commune_placeholder": "Tapez le nom de votre commune",
    "commune_hint": "Tapez quelques lettres, choisissez avec ↑ ↓ puis Entrée.",
    "commune_none": "Aucune commune ne correspond à votre saisie.",
    "operator_label": "Société gestionnaire :",
    "contact_phone": " au {phone}",
    "contact_or": " ou",
    "contact_website": " sur {website}",
    "button_continue": "Continuer",
    "operator_not_served": (
        "Votre contrat est géré par {operator}. Cette borne ne peut pas ouvrir d'espace "
        "client pour cette société : veuillez la contacter{contact}."
    ),
    "unknown_commune": "Veuillez choisir votre commune dans la liste proposée.",
    # -- Identity (step 3)
    "identity_title": "Ouvrir un espace client",
    "label_last_name": "Nom *",
    "label_first_name": "Prénom *",
    "label_email": "Adresse e-mail *",
    "label_password": "Mot de passe *",
    "button_next": "Suivant",
    # -- Contract (step 3), its invoice help, and the notification after it (SPEC §2.4)
    "contract_title": "Votre contrat",
    "label_contract": "Numéro de contrat *",
    "hint_contract": "7 chiffres sans la lettre",
    "label_meter": "Numéro de compteur *",
    "hint_meter": "tel qu'il est imprimé sur la facture",
    "button_invoice_help": "Où trouver ces numéros ?",
    "button_submit": "Soumettre",
    "password_go_back": (
        "Appuyez sur Échap pour revenir à l'étape précédente et choisir un autre mot de passe."
    ),
    "subscriber_not_found": (
        "Les informations saisies pour ce compte sont incorrectes. Veuillez vérifier votre saisie."
    ),
    "contract_already_active": (
        "Un espace client existe déjà pour ce contrat. Utilisez « Mot de passe oublié ? » "
        "pour retrouver l'accès."
    ),
    "operator_not_served_here": (
        "Cette borne ne peut pas ouvrir d'espace client pour la société qui gère ce contrat."
    ),
    "invoice_title": "Où trouver vos numéros sur la facture",
    "invoice_caption": (
        "Le numéro de contrat (7 chiffres, sans la lettre) et le numéro de compteur "
        "figurent en haut à droite de la première page."
    ),
    "registered": (
        "Votre compte a bien été créé. Vous devez à présent cliquer sur le lien "
        "d'activation contenu dans le mail qui vous a été envoyé."
    ),
    # -- Code (step 4), and the notification after an activation (SPEC §2.5)
    "code_title": "Saisissez votre code",
    "code_intro": "Saisissez le code reçu par e-mail (ou collez le lien qu'il contient).",
    "code_intro_reset": (
        "Saisissez le code de réinitialisation reçu par e-mail (ou collez le lien). Il "
        "n'est valable que {minutes} minutes."
    ),
    "code_explanation": (
        "Un e-mail vous a été envoyé. Saisissez le code qu'il contient (ou collez le "
        "lien). Attention : ce lien n'est valable que {hours} heures. Si vous dépassez ce "
        "délai, vous devrez recommencer entièrement la procédure."
    ),
    "code_sent_to": "E-mail envoyé à {email}",
    "label_code": "Code reçu par e-mail *",
    "code_placeholder": "XXXX-XXXX-XXXX",
    "button_resend": "Renvoyer l'e-mail",
    "resend_wait": "Renvoyer l'e-mail ({seconds} s)",
    "resent": "Un nouvel e-mail vous a été envoyé.",
    "code_invalid": "Ce code n'est pas valide. Veuillez vérifier votre saisie.",
    "code_expired_activation": (
        "Ce lien d'activation a expiré. Vous devez recommencer entièrement la procédure de "
        "création de votre espace client."
    ),
    "code_expired_reset": (
        "Ce lien de réinitialisation a expiré. Veuillez faire une nouvelle demande depuis "
        "« Mot de passe oublié ? »."
    ),
    "welcome_title": "Bienvenue sur votre Agence en Ligne",
    "welcome_body": "Votre compte a été validé.",
    # -- Reset
    "reset_title": "Choisissez un nouveau mot de passe",
    "reset_rules_intro": "8 caractères minimum, contenant un nombre et un caractère spécial",
    "password_updated": "Votre mot de passe a été mis à jour.",
    # -- Login
    "login_title": "Se connecter",
    "login_intro": "Connectez-vous avec l'adresse e-mail et le mot de passe de votre espace.",
    "invalid_credentials": "Adresse e-mail ou mot de passe incorrect.",
    "account_not_activated": (
        "Votre espace client n'est pas encore activé : saisissez le code reçu par e-mail."
    ),
    # -- Forgot
    "forgot_title": "Mot de passe oublié ?",
    "forgot_intro": (
        "Saisissez l'adresse e-mail de votre espace client : vous recevrez un code pour "
        "choisir un nouveau mot de passe."
    ),
    "reset_requested": (
        "Si votre compte existe, un e-mail vous a été adressé. Il contient toutes les "
        "informations nécessaires."
    ),
    # -- Dashboard
    "dashboard_title": "Tableau de Bord",
    "dashboard_hello": "Bonjour {first_name} {last_name}",
    "summary_commune": "Commune",
    "summary_operator": "Société gestionnaire",
    "summary_contract": "Numéro de contrat",
    "summary_meter": "Numéro de compteur",
    "summary_email": "Adresse e-mail",
    "button_change_password": "Changer mon mot de passe",
    "button_logout": "Se déconnecter",
    "key_change_password": "Mot de passe",
    "key_logout": "Se déconnecter",
    "signed_out": "Vous êtes déconnecté. À bientôt !",
    "session_expired": "Votre session a pris fin. Veuillez vous reconnecter.",
    # -- Change password
    "change_password_title": "Changer mon mot de passe",
    "label_current_password": "Mot de passe actuel *",
    "current_password_wrong": "Le mot de passe actuel est incorrect.",
    # -- Dialogs: idle question, apology, database away, agent's way out (SPEC §6)
    "idle_question": "Êtes-vous toujours là ?",
    "idle_countdown": "Sans réponse, la borne revient à l'accueil dans {seconds} s.",
    "button_still_here": "Oui, je suis là",
    "apology": (
        "Nous sommes désolés : une erreur inattendue est survenue. Vous allez être ramené "
        "à l'accueil."
    ),
    "service_unavailable": "Service momentanément indisponible",
    "service_unavailable_retry": (
        "La borne réessaie automatiquement. Merci de patienter : vous retrouverez votre "
        "saisie dès le retour du service."
    ),
    "agent_title": "Sortie agent",
    "label_agent_pin": "Code PIN agent",
    "agent_pin_wrong": "Code PIN incorrect.",
    # -- Speech and contrast (SPEC §12): Welcome's first line, the keys, what is said beside
    # the screens' own texts (the checklist's states are the web's "respecté" / "non respecté")
    "accessibility_hint": "F1 : aide vocale · Ctrl+T : contraste élevé",
    "key_speech": "Aide vocale",
    "key_contrast": "Contraste",
    "speech_on": "Aide vocale activée",
    "speech_off": "Aide vocale désactivée",
    "speech_required": "obligatoire",
    "speech_empty": "vide",
    "speech_characters": "caractères saisis : {count}",
    "speech_button": "bouton",
    # -- E-mails (SPEC §4): subjects, then bodies in plain text; the HTML part reuses them
    "mail_greeting": "Bonjour {first_name},",
    "mail_greeting_anonymous": "Bonjour,",
    "mail_signature": "Votre Agence en Ligne",
    "mail_activation_subject": "Activez votre espace client",
    "mail_activation_body": (
        "Votre demande d'ouverture d'espace client pour le contrat géré par {operator} a "
        "bien été enregistrée.\n\nPour l'activer, saisissez ce code à la borne : {code}\n"
        "ou cliquez sur le lien d'activation : {link}\n\nAttention : ce lien n'est valable "
        "que {hours} heures. Si vous dépassez ce délai, vous devrez recommencer "
        "entièrement la procédure."
    ),
    "mail_confirmed_subject": "Votre espace client est activé",
    "mail_confirmed_body": (
        "Votre compte a été validé. Vous pouvez dès à présent vous connecter à votre "
        "Agence en Ligne avec votre adresse e-mail et votre mot de passe."
    ),
    "mail_reset_subject": "Réinitialisation de votre mot de passe",
    "mail_reset_body": (
        "Vous avez demandé à réinitialiser le mot de passe de votre espace client.\n\n"
        "Saisissez ce code à la borne : {code}\nou cliquez sur le lien de réinitialisation "
        ": {link}\n\nCe lien n'est valable que {minutes} minutes. Si vous n'êtes pas à "
        "l'origine de cette demande, ignorez ce message : votre mot de passe reste "
        "inchangé."
    ),
    "mail_updated_subject": "Votre mot de passe a été mis à jour",
    "mail_updated_body": (
        "Votre mot de passe a été mis à jour. Votre compte est de nouveau opérationnel.\n\n"
        "Si vous n'êtes pas à l'origine de ce changement, contactez votre agence sans "
        "délai."
    ),
    "mail_in_use_subject": "Tentative d'ouverture d'un espace client avec votre adresse",
    "mail_in_use_body": (
        "Quelqu'un a tenté d'ouvrir un espace client avec votre adresse e-mail, qui est "
        "déjà associée à un espace client. Aucun compte n'a été créé.\n\nSi c'était vous, "
        "connectez-vous avec votre adresse, ou utilisez « Mot de passe oublié ? » si vous "
        "ne vous en souvenez plus. Sinon, vous pouvez ignorer ce message."
    ),
    # -- The web companion (SPEC §8): the pages behind the e-mails' links
    "web_home_intro": (
        "Créez votre espace client, activez-le, connectez-vous ou choisissez un nouveau mot "
        "de passe."
    ),
    "web_nav": "Navigation",
    "web_home_link": "Accueil",
    "web_activate_title": "Activer mon espace client",
    "web_activate_intro": (
        "Votre code est valable. Confirmez l'activation de votre espace client."
    ),
    "web_activate_button": "Activer mon espace client",
    "web_code_not_yours": (
        "Si ce n'est pas votre adresse e-mail, ne continuez pas : ce lien ne vous était pas "
        "destiné."
    ),
    "web_rule_met": "respecté",
    "web_rule_unmet": "non respecté",
    "web_error_title": "Erreur",
    "web_error_400": "La demande envoyée n'a pas pu être lue.",
    "web_error_403": (
        "Cette page a expiré ou la demande n'a pas pu être vérifiée. "
        "Veuillez recharger la page et réessayer."
    ),
    "web_error_404": "Cette page n'existe pas.",
    "web_error_405": "Cette action n'est pas possible sur cette page.",
    "web_error_413": "La demande envoyée est trop volumineuse.",
    "web_error_500": "Nous sommes désolés : une erreur inattendue est survenue.",
    "web_error_503": (
        "Le service est momentanément indisponible. Veuillez réessayer dans quelques minutes."
    ),
    "web_back_home": "Retour à l'accueil",
    "web_signed_in_as": "Connecté : {first_name} {last_name}",
    "web_language_link": "English",
    "web_language_title": "Read this page in English",
    "web_health_ok": "ok",
    "web_health_down": "indisponible",
    # -- The dashboard's services (SPEC §9): invoices, consumption, meter reading
    "key_invoices": "Factures",
    "key_consumption": "Consommation",
    "key_reading": "Relevé",
    "button_invoices": "Mes factures",
    "button_consumption": "Ma consommation",
    "button_reading": "Relever mon compteur",
    "leak_alert": (
        "Votre consommation est inhabituellement élevée. Une fuite est peut-être en cause : "
        "vérifiez vos installations."
    ),
    "invoices_title": "Mes factures",
    "invoices_intro": "Vos factures, de la plus récente à la plus ancienne.",
    "invoices_empty": "Aucune facture n'est disponible pour ce contrat.",
    "invoices_open_hint": "Entrée : ouvrir la facture choisie.",
    "invoice_column_number": "Numéro",
    "invoice_column_period": "Période",
    "invoice_column_volume": "m³",
    "invoice_column_amount": "Montant TTC",
    "invoice_column_status": "Statut",
    "invoice_status_payee": "Payée",
    "invoice_status_a_payer": "À payer",
    "invoice_status_en_retard": "En retard",
    "invoice_status_due": "{status} (échéance le {due})",
    "invoice_period": "du {start} au {end}",
    "invoice_number_title": "Facture {number}",
    "invoice_heading": "Facture d'eau",
    "invoice_label_number": "Numéro de facture",
    "invoice_label_holder": "Titulaire",
    "invoice_label_issued": "Date d'émission",
    "invoice_label_period": "Période de consommation",
    "invoice_label_volume": "Volume consommé",
    "invoice_label_excl": "Montant HT",
    "invoice_label_incl": "Montant TTC",
    "invoice_label_status": "Statut",
    "invoice_label_due": "Date d'échéance",
    "invoice_volume": "{volume} m³",
    "invoice_pdf_footer": "Document généré depuis votre Espace Client · Agence en Ligne.",
    "button_send_invoice": "Recevoir par e-mail",
    "invoice_sent": "La facture {number} vous a été envoyée par e-mail ({email}).",
    "invoice_not_found": "Cette facture n'existe pas.",
    "consumption_title": "Ma consommation",
    "consumption_intro": "Volume facturé par période, en m³, sur les trois dernières années.",
    "consumption_empty": "Aucune consommation facturée n'est disponible pour ce contrat.",
    "consumption_column_period": "Période",
    "consumption_column_volume": "Volume (m³)",
    "reading_title": "Relever mon compteur",
    "reading_intro": (
        "Saisissez l'index affiché sur votre compteur, en m³ entiers (les chiffres noirs)."
    ),
    "reading_last": "Dernier index connu : {index} m³, le {date}.",
    "reading_none": "Aucun index connu pour ce compteur.",
    "label_index": "Index (m³) *",
    "button_send_reading": "Envoyer",
    "button_confirm_reading": "Confirmer cet index",
    "index_format": (
        "L'index comporte uniquement des chiffres : les m³ entiers affichés par le compteur."
    ),
    "reading_below_last": (
        "L'index saisi est inférieur au dernier index connu ({last} m³). "
        "Veuillez vérifier votre saisie."
    ),
    "reading_confirm": (
        "Cet index correspond à plus du double de votre consommation habituelle pour cette "
        "durée. Vérifiez votre saisie, puis confirmez-la."
    ),
    "reading_recorded": "Votre index de {index} m³ a bien été enregistré le {date}.",
    "mail_invoice_subject": "Votre facture {number}",
    "mail_invoice_body": (
        "Vous trouverez ci-joint votre facture {number} au format PDF, demandée depuis votre "
        "Espace Client."
    ),
    "web_services_nav": "Mes services",
    "reading_recorded_web": "Votre index a bien été enregistré.",
    "web_invoice_download": "Télécharger la facture {number} (PDF)",
    "web_pdf_column": "Facture PDF",
    "web_pdf_link": "Télécharger",
    "web_consumption_chart": "Volume facturé par période (m³)",
    "web_back_dashboard": "Retour au tableau de bord",
    # -- The four steps on the web (SPEC §10)
    "web_commune_hint": (
        "Tapez quelques lettres du nom de votre commune, puis choisissez-la dans la liste."
    ),
    "web_commune_search": "Rechercher",
    "web_commune_matches": "Communes correspondantes",
    "commune_query_format": (
        "Tapez au plus 60 caractères du nom de votre commune, sans caractère invisible."
    ),
    "web_operator_not_served": (
        "Votre contrat est géré par {operator}. Ce site ne peut pas ouvrir d'espace client "
        "pour cette société : veuillez la contacter{contact}."
    ),
    "web_other_commune": "Choisir une autre commune",
    "web_draft_restart": (
        "Votre demande d'ouverture d'espace client a expiré ou ses étapes n'ont pas été "
        "suivies dans l'ordre. Veuillez recommencer en choisissant votre commune."
    ),
    "web_password_again": (
        "Pour votre sécurité, le mot de passe n'est jamais réaffiché : saisissez-le à "
        "nouveau, ainsi que sa confirmation."
    ),
    "web_password_go_back": "Revenez à l'étape précédente pour choisir un autre mot de passe.",
    "web_back_to_identity": "Modifier mon identité ou mon mot de passe",
}


def text(key: str, language: str = SOURCE_LANGUAGE, **values: object) -> str:
    """The message ``key`` in ``language``, with ``{placeholders}`` filled from ``values``."""
    template = FRENCH[key]
    if language != SOURCE_LANGUAGE:
        template = translations(language).pgettext(key, template)
    return template.format(**values) if values else template


def hours_text(hours: float, language: str = SOURCE_LANGUAGE) -> str:
    """A configured number of hours as a customer reads it: ``48``, ``1,5`` (``1.5`` in
    English)."""
    written = f"{hours:g}"
    return written if language == "en" else written.replace(".", ",")
