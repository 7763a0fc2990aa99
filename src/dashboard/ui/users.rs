//! `/dashboard/users`: the accounts a coordinator manages (an admin: every account; a
//! provider's coordinator: the employer coordinators they invited), invite a new one,
//! disable or re-enable; for an employer's coordinator, who else coordinates for their
//! organisation, read-only. Server-function forms, so they work without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::types::Role;
use crate::dashboard::api::{list_accounts, AddAccount, SetAccountDisabled};
use crate::dashboard::types::{Account, OrganisationChoice};
use crate::dashboard::ui::{refused, successes, DashboardNav};
use crate::ui::form::{refusal, refusal_focused, ErrorSummary, FieldMessage};
use crate::ui::table::ScrollTable;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let add = ServerAction::<AddAccount>::new();
    let access = ServerAction::<SetAccountDisabled>::new();
    let (added, switched) = (successes(add), successes(access));
    let accounts = Resource::new(move || added.get() + switched.get(), |_| list_accounts());
    view! {
        <Title text="Coordinator accounts" />
        <DashboardNav current="" />
        <h1>"Coordinator accounts"</h1>
        <Suspense fallback=|| view! { <p role="status">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(v) if v.roles.is_empty() => view! { <Colleagues list=v.accounts /> }.into_any(),
                    Ok(v) => {
                        let (roles, organisations) = (v.roles, v.organisations);
                        let admin = roles.contains(&Role::Admin);
                        view! {
                            <Accounts list=v.accounts access admin />
                            <AddForm add roles organisations />
                        }
                        .into_any()
                    }
                    Err(e) => refused(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Accounts(
    list: Vec<Account>,
    access: ServerAction<SetAccountDisabled>,
    admin: bool,
) -> impl IntoView {
    let (_, message) = refusal(move || access.value().get());
    view! {
        {move || message.get().map(|m| view! { <p class="error-summary" role="alert">{m}</p> })}
        <ScrollTable label="Accounts table" caption="Coordinator accounts"
            headings=&["Name", "Role and organisation", "State", "Access"]>
            {list.into_iter().map(|a| {
                let state = account_state(&a);
                let role = role_line(&a);
                let invited_by = a.invited_by.clone().map(|o| view! { <br /><span class="muted">"Invited by " {o}</span> });
                let (label, to) = match a.disabled {
                    true => (format!("Re-enable {}", a.name), "false"),
                    false => (format!("Disable {}", a.name), "true"),
                };
                // The page knows only what the server said: a provider's coordinator gets
                // no button for an account an administrator disabled (the server refuses it).
                let can_switch = !(a.disabled && a.disabled_by_admin) || admin;
                view! {
                    <tr>
                        <th scope="row">{a.name.clone()}<br /><span class="muted">{a.email.clone()}</span></th>
                        <td>{role}{invited_by}</td>
                        <td>{state}</td>
                        <td>
                            {can_switch.then(|| view! {
                                <ActionForm action=access>
                                    <input type="hidden" name="id" value=a.id.to_string() />
                                    <input type="hidden" name="disabled" value=to />
                                    <button type="submit" class="secondary" aria-label=label>{if a.disabled { "Re-enable" } else { "Disable" }}</button>
                                </ActionForm>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </ScrollTable>
    }
}

/// An account's state in words.
fn account_state(a: &Account) -> &'static str {
    match (a.disabled, a.disabled_by_admin, a.invited) {
        (true, true, _) => "Disabled by an administrator",
        (true, false, _) => "Disabled",
        (false, _, true) => "Invited (no password yet)",
        (false, _, false) => "Active",
    }
}

/// "Employer coordinator, Pine Crew Ltd (NZBN …)".
fn role_line(a: &Account) -> String {
    let role = match &a.organisation {
        Some(o) => format!("{}, {o}", a.role.label()),
        None => a.role.label().to_owned(),
    };
    match &a.nzbn {
        Some(n) => format!("{role} (NZBN {n})"),
        None => role,
    }
}

/// An employer's coordinator's view: who coordinates for their organisation. Nothing to
/// change here; a provider or an administrator manages these accounts.
#[component]
fn Colleagues(list: Vec<Account>) -> impl IntoView {
    view! {
        <p>"Everyone who coordinates for your organisation on Tohu. To add or remove someone, ask the training provider who invited you or a Tohu administrator."</p>
        <ScrollTable label="Coordinators table" caption="Your organisation's coordinators"
            headings=&["Name", "Role and organisation", "State"]>
            {list.into_iter().map(|a| view! {
                <tr>
                    <th scope="row">{a.name.clone()}<br /><span class="muted">{a.email.clone()}</span></th>
                    <td>{role_line(&a)}</td>
                    <td>{account_state(&a)}</td>
                </tr>
            }).collect_view()}
        </ScrollTable>
    }
}

#[component]
fn AddForm(
    add: ServerAction<AddAccount>,
    roles: Vec<Role>,
    organisations: Vec<OrganisationChoice>,
) -> impl IntoView {
    let admin = roles.contains(&Role::Admin);
    let (errors, message, rendered_refused) = refusal_focused(move || add.value().get());
    let done = move || {
        matches!(add.value().get(), Some(Ok(_)))
            .then_some("Invited. They will get an email with a link to choose their password.")
    };
    let field = move |name: &'static str,
                      id: &'static str,
                      label: &'static str,
                      kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id name=name type=kind maxlength="254" aria-describedby=format!("{id}-error") />
                <FieldMessage field=id errors />
            </div>
        }
    };
    view! {
        <section aria-labelledby="add-heading">
            <h2 id="add-heading">"Invite a coordinator"</h2>
            <p role="status" class="done">{done}</p>
            <ErrorSummary errors message autofocus=rendered_refused heading="Nobody was invited" />
            <ActionForm action=add attr:class="intake-form">
                {field("account[name]", "name", "Name", "text")}
                {field("account[email]", "email", "Email", "email")}
                <div class="field">
                    <label for="role">"Role"</label>
                    <select id="role" name="account[role]" aria-describedby="role-error">
                        {roles.into_iter().map(|r| view! {
                            <option value=r.as_str()>{r.label()}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage field="role" errors />
                </div>
                {admin.then(|| view! { <OrganisationSelect organisations /> })}
                {field("account[organisation]", "organisation", if admin { "Or a new organisation's name (empty for an administrator)" } else { "Their employer (a new organisation on Tohu)" }, "text")}
                {field("account[nzbn]", "nzbn", "The employer's NZBN (optional)", "text")}
                <button type="submit">"Send the invitation"</button>
            </ActionForm>
        </section>
    }
}

/// The administrator's choice of an existing organisation, by kind. Only an administrator
/// adds someone to an organisation that exists; a typed name always makes a new one.
#[component]
fn OrganisationSelect(organisations: Vec<OrganisationChoice>) -> impl IntoView {
    let (employers, providers): (Vec<_>, Vec<_>) =
        organisations.into_iter().partition(|o| o.employer);
    let options = |list: Vec<OrganisationChoice>| {
        list.into_iter()
            .map(|o| view! { <option value=o.id.to_string()>{o.name}</option> })
            .collect_view()
    };
    view! {
        <div class="field">
            <label for="organisation_id">"An existing organisation (optional)"</label>
            <select id="organisation_id" name="account[organisation_id]" aria-describedby="organisation-error">
                <option value="">"None"</option>
                <optgroup label="Providers">{options(providers)}</optgroup>
                <optgroup label="Employers">{options(employers)}</optgroup>
            </select>
        </div>
    }
}
