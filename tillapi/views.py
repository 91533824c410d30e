"""The till API's views. Each declares the catalogue resource and part it belongs to; the one
permission class (enforcement.drf.CallerGroupAllows) decides from the caller's access group.

A surface: every read and write is a selector or service of a domain app (loyalty, stores,
shopperdata through customers.py)."""

from functools import cached_property

from rest_framework import status
from rest_framework.response import Response

from accessadmin import limits
from accessadmin.api.base import validated
from accessadmin.caching import never_stored
from accessadmin.errors import AppError, CoreErrorCode, InvalidInput
from accessadmin.models import Org
from enforcement import selectors as enforcement_selectors
from enforcement.drf import TillApiView
from loyalty import selectors as loyalty_selectors
from loyalty import services as loyalty_services
from stores import selectors as store_selectors
from stores import services as store_services

from . import customers, inputs
from . import openapi as doc
from .errors import TillApiErrorCode

DATA, CONFIG = "data", "config"


class OrgTillApiView(TillApiView):
    @cached_property
    def org(self) -> Org:
        """The caller's org, loaded with its warm entry (no query on a warm request)."""
        return enforcement_selectors.caller_org(self.caller)

    def body(self, input_class) -> dict:
        """Returns the request's JSON object checked by `input_class` (an accessadmin.api.fields.Input)."""
        if not isinstance(self.request.data, dict):
            raise InvalidInput("Send a JSON object.", code=CoreErrorCode.INVALID_BODY)
        return validated(input_class, self.request.data)


# --- Data API ----------------------------------------------------------------------------------------------


class CustomersView(OrgTillApiView):
    resource, api = "customer", DATA

    @doc.operation("till_customers_search", response=doc.TillCustomerList, parameters=doc.SEARCH)
    def get(self, request):
        found = customers.search(org=self.org, mobile=request.query_params.get("mobile", ""),
                                 email=request.query_params.get("email", ""))
        return Response({"customers": [customers.payload(p) for p in found]})

    @doc.operation("till_customers_register", request=inputs.CustomerInput, response=doc.TillCustomer,
                   status=201, rules=doc.MOBILE_OR_EMAIL)
    def post(self, request):
        profile = customers.register(org=self.org, data=self.body(inputs.CustomerInput))
        return Response(customers.payload(profile), status=status.HTTP_201_CREATED)


class CustomerView(OrgTillApiView):
    resource, api = "customer", DATA

    @doc.operation("till_customer_get", response=doc.TillCustomer, parameters=[doc.CUSTOMER_ID])
    def get(self, request, customer_id):
        return Response(customers.payload(customers.get(org=self.org, customer_id=customer_id)))

    @doc.operation("till_customer_update", request=inputs.CustomerInput, response=doc.TillCustomer,
                   parameters=[doc.CUSTOMER_ID])
    def patch(self, request, customer_id):
        profile = customers.update(org=self.org, customer_id=customer_id, data=self.body(inputs.CustomerInput))
        return Response(customers.payload(profile))


def _txn(t) -> dict:
    return {"id": t.pk, "customer_id": t.customer_id, "bill_number": t.bill_number, "amount": str(t.amount),
            "points": t.points, "created_at": t.created_at}


def _customer_id_param(value):
    if value in (None, ""):
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > limits.BIGINT_MAX:
        raise InvalidInput("customer_id must be a whole number.", code=TillApiErrorCode.INVALID_CUSTOMER_ID,
                           fields={"customer_id": [f"A whole number from 0 to {limits.BIGINT_MAX}."]})
    return int(value)


class TransactionsView(OrgTillApiView):
    resource, api = "transaction", DATA

    @doc.operation("till_transactions_list", response=doc.TillTransactionList, parameters=doc.BY_CUSTOMER)
    def get(self, request):
        customer_id = _customer_id_param(request.query_params.get("customer_id"))
        return Response({"transactions": [_txn(t) for t in loyalty_selectors.transaction_list(org=self.org,
                                                                                       customer_id=customer_id)]})

    @doc.operation("till_transactions_add", request=inputs.TransactionInput, response=doc.TillTransactionCreated,
                   status=201)
    def post(self, request):
        data = self.body(inputs.TransactionInput)
        txn = loyalty_services.transaction_add(caller=self.caller, org=self.org, customer_id=data["customer_id"],
                                       bill_number=data["bill_number"], amount=data["amount"])
        body = _txn(txn)
        body["balance"] = loyalty_selectors.points_balance(org=self.org, customer_id=txn.customer_id)
        return Response(body, status=status.HTTP_201_CREATED)


class PointsBalanceView(OrgTillApiView):
    resource, api = "points", DATA

    @doc.operation("till_points_balance", response=doc.TillPointsBalance, parameters=[doc.CUSTOMER_ID])
    def get(self, request, customer_id):
        customer_id = loyalty_selectors.customer_id_of(org=self.org, customer_id=customer_id)
        return Response({"customer_id": customer_id,
                         "balance": loyalty_selectors.points_balance(org=self.org, customer_id=customer_id)})


class PointsIssueView(OrgTillApiView):
    resource, api = "points", DATA

    @doc.operation("till_points_issue", request=inputs.PointsInput, response=doc.TillPointsBalance)
    def post(self, request):
        data = self.body(inputs.PointsInput)
        balance = loyalty_services.points_issue(caller=self.caller, org=self.org, customer_id=data["customer_id"],
                                        points=data["points"])
        return Response({"customer_id": data["customer_id"], "balance": balance})


class PointsRedeemView(OrgTillApiView):
    resource, api = "points", DATA

    @doc.operation("till_points_redeem", request=inputs.RedeemInput, response=doc.TillPointsRedeemed)
    def post(self, request):
        data = self.body(inputs.RedeemInput)
        if data["groupId"] is not None:
            try:
                balance = loyalty_services.group_redeem(caller=self.caller, org=self.org, group_id=data["groupId"],
                                                        customer_id=data["customer_id"], points=data["points"])
            except AppError as err:  # the group's codes (group_redemption_not_allowed, ...) beside the number
                err.extra = {**err.extra, "code": str(err.code)}
                raise
            return Response({"customer_id": data["customer_id"], "balance": balance, "groupId": data["groupId"]})
        balance = loyalty_services.points_redeem(caller=self.caller, org=self.org, customer_id=data["customer_id"],
                                         points=data["points"])
        return Response({"customer_id": data["customer_id"], "balance": balance})


class EventsView(OrgTillApiView):
    resource, api = "behavioral_event", DATA

    @doc.operation("till_events_post", request=inputs.EventInput, response=doc.TillEvent, status=201)
    def post(self, request):
        data = self.body(inputs.EventInput)
        event = loyalty_services.event_post(caller=self.caller, org=self.org, event=data["event"],
                                    customer_id=data["customer_id"], attributes=data["attributes"])
        return Response({"id": event.pk, "event": event.definition.name, "customer_id": event.customer_id,
                         "attributes": event.attributes, "created_at": event.created_at},
                        status=status.HTTP_201_CREATED)


# --- Config API --------------------------------------------------------------------------------------------


class StoresView(OrgTillApiView):
    resource, api = "store", CONFIG

    @staticmethod
    def _store(s) -> dict:
        return {"code": s.code, "name": s.name, "city": s.city,
                "access_group": s.access_group.name if s.access_group_id else None}

    @doc.operation("till_stores_list", response=doc.TillStoreList)
    def get(self, request):
        return Response({"stores": [self._store(s) for s in store_selectors.org_store_list(org=self.org)]})

    @doc.operation("till_stores_create", request=inputs.StoreInput, response=doc.TillStore, status=201)
    def post(self, request):
        data = self.body(inputs.StoreInput)
        store = store_services.store_create(actor=None, org=self.org, code=data["code"], name=data["name"],
                                            city=data["city"] or "")
        return Response(self._store(store), status=status.HTTP_201_CREATED)


class TillsView(OrgTillApiView):
    resource, api = "till", CONFIG

    @doc.operation("till_tills_list", response=doc.TillTillList)
    def get(self, request):
        return Response({"tills": [{"code": t.code, "store": t.store.code, "active": t.is_active}
                                   for t in store_selectors.org_till_list(org=self.org)]})

    @doc.operation("till_tills_create", request=inputs.TillInput, response=doc.TillTillCreated, status=201)
    @never_stored
    def post(self, request):
        data = self.body(inputs.TillInput)
        store = store_selectors.store_for_till(org=self.org, code=data["store"])
        till, secret = store_services.till_create(actor=None, org=self.org, store=store, code=data["code"])
        return Response({"code": till.code, "store": store.code, "secret": secret}, status=status.HTTP_201_CREATED)


class BehavioralEventsView(OrgTillApiView):
    resource, api = "behavioral_event", CONFIG

    @staticmethod
    def _definition(d) -> dict:
        return {"name": d.name, "description": d.description, "attributes": d.attributes}

    @doc.operation("till_behavioral_events_list", response=doc.TillEventDefinitionList)
    def get(self, request):
        return Response({"behavioral_events": [self._definition(d)
                                               for d in loyalty_selectors.event_definition_list(org=self.org)]})

    @doc.operation("till_behavioral_events_create", request=inputs.EventDefinitionInput,
                   response=doc.TillEventDefinition, status=201)
    def post(self, request):
        data = self.body(inputs.EventDefinitionInput)
        d = loyalty_services.event_definition_create(org=self.org, name=data["name"], description=data["description"],
                                             attributes=data["attributes"])
        return Response(self._definition(d), status=status.HTTP_201_CREATED)


class OrgView(OrgTillApiView):
    resource, api = "organization", CONFIG

    @doc.operation("till_org_get", response=doc.TillOrg)
    def get(self, request):
        org = self.org
        return Response({"code": org.code, "name": org.name, "basic_auth_enabled": org.basic_auth_enabled,
                         "enforcement_mode": org.enforcement_mode})
